"""An uploaded list of participants: .csv by its name, anything else read as .xlsx."""
from app.imports.csv_reader import read_csv_rows
from app.imports.reader import read_participant_rows

ACCEPTED_SUFFIXES = (".xlsx", ".csv")


def read_participant_file(stream, filename):
    """The SheetRows of the uploaded file `filename`; raises UnreadableFile."""
    if (filename or "").strip().lower().endswith(".csv"):
        return read_csv_rows(stream)
    return read_participant_rows(stream)
