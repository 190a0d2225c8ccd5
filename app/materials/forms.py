"""Reading the materials forms: where a file goes, who may download it, the files and their titles."""
from app.materials.refused import MaterialRefused
from app.materials.services import Upload
from app.routing import parse_id


def read_place(form):
    """(agenda_item_id or None for the whole event, visibility) from the submitted form."""
    raw = (form.get("agenda_item") or "").strip()
    agenda_item_id = parse_id(raw)
    if raw and agenda_item_id is None:
        raise MaterialRefused("agenda_unknown")
    return agenda_item_id, form.get("visibility", "")


def read_uploads(files, form):
    """An Upload per chosen file, with the title typed for it (titles come in the files' order)."""
    titles = form.getlist("titles")
    chosen = [file for file in files.getlist("files") if file and file.filename]
    return [
        Upload(name=file.filename, stream=file.stream, title=titles[i] if i < len(titles) else "")
        for i, file in enumerate(chosen)
    ]


def read_one_upload(files, name="file"):
    file = files.get(name)
    if not file or not file.filename:
        return None
    return Upload(name=file.filename, stream=file.stream)
