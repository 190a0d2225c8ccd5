"""Why an upload was refused: what every check of a material raises (checks.py, packages.py)."""


class MaterialRefused(Exception):
    """Why a material was refused: a code (see messages.py), the file name concerned, if any, and a detail
    (the entry of an archive concerned, or a number)."""

    def __init__(self, code, name="", detail=""):
        super().__init__(code)
        self.code = code
        self.name = name
        self.detail = detail
