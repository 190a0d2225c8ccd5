"""Participant lists as an OPD sends them (.xlsx in memory), for the import tests and others."""
import io

from openpyxl import Workbook

from app.imports.reader import COLUMNS


def people(count, organization="OPD1"):
    return [
        {
            "full_name": f"Peserta Impor {n}", "nip": f"198001012005011{n:03d}", "position": "Analis",
            "rank": "Penata (III/c)", "organization": organization, "phone": f"0812 3400 {n:04d}",
            "email": f"impor{n}@serangkota.go.id",
        }
        for n in range(1, count + 1)
    ]


def xlsx(rows, columns=COLUMNS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(column) for column in columns])
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream
