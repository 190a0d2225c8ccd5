"""The console's forms for evaluation forms and their questions."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.forms import Form, WholeNumberField, within_years
from app.models import FormKind, QuestionKind

REQUIRED = _l("Wajib diisi.")

FORM_KIND_LABELS = {
    FormKind.EVALUATION: _l("Evaluasi penyelenggaraan"),
    FormKind.SPEAKER: _l("Evaluasi narasumber"),
    FormKind.PRETEST: _l("Pre-test"),
    FormKind.POSTTEST: _l("Post-test"),
}
QUESTION_KIND_LABELS = {
    QuestionKind.LIKERT: _l("Skala 1–5 (sangat kurang … sangat baik)"),
    QuestionKind.SINGLE: _l("Pilihan tunggal"),
    QuestionKind.MULTIPLE: _l("Pilihan ganda (boleh lebih dari satu)"),
    QuestionKind.SHORT: _l("Isian singkat"),
    QuestionKind.LONG: _l("Isian panjang"),
}
LIKERT_LABELS = (_l("Sangat kurang"), _l("Kurang"), _l("Cukup"), _l("Baik"), _l("Sangat baik"))

MESSAGES = {
    "test_not_anonymous": _l("Pre-test dan post-test tidak dapat anonim: nilainya dihitung per peserta."),
    "speaker_needs_session": _l("Pilih sesi agenda yang dievaluasi."),
    "test_exists": _l("Acara ini sudah punya formulir jenis ini. Satu acara hanya punya satu pre-test dan satu "
                      "post-test, agar kenaikan nilai membandingkan pasangan yang sama; ubah yang sudah ada."),
    "closes_before_opens": _l("Penutupan harus sesudah pembukaan."),
    "min_respondents_range": _l("Antara 3 dan 500 responden."),
    "anonymity_fixed": _l("Sudah ada jawaban: sifat anonim formulir tidak dapat diubah lagi."),
    "unknown_form": _l("Formulir tidak dikenal."),
    "question_kind_unknown": _l("Jenis pertanyaan tidak dikenal."),
    "question_text_required": _l("Tulis pertanyaannya."),
    "question_text_too_long": _l("Pertanyaan terlalu panjang (paling banyak 1.000 karakter)."),
    "choices_too_few": _l("Tulis paling sedikit dua pilihan, satu per baris."),
    "choices_too_many": _l("Paling banyak 20 pilihan, masing-masing paling banyak 300 karakter."),
    "correct_unknown": _l("Kunci jawaban harus huruf pilihan yang ada, mis. B atau A, C."),
    "correct_one": _l("Pilihan tunggal punya tepat satu kunci jawaban."),
    "correct_needs_choices": _l("Kunci jawaban hanya untuk pertanyaan pilihan."),
    "points_range": _l("Poin antara 0 dan 1.000."),
    "questions_fixed": _l("Sudah ada jawaban: pertanyaan tidak dapat diubah lagi."),
    "questions_too_many": _l("Satu formulir paling banyak 100 pertanyaan."),
    "too_big": _l("Berkas terlalu besar (paling besar 2 MB)."),
    "too_many": _l("Terlalu banyak baris (paling banyak 200 pertanyaan)."),
    "unreadable": _l("Berkas tidak dapat dibaca sebagai .xlsx."),
    "no_header": _l("Baris judul kolom (Jenis, Pertanyaan …) tidak ditemukan; pakai berkas unduhan dari halaman ini."),
    "empty": _l("Berkas tidak berisi pertanyaan."),
}


def message(code):
    return str(MESSAGES.get(code, MESSAGES["unknown_form"]))


class EvaluationFormForm(Form):
    kind = SelectField(_l("Jenis formulir"), choices=[SelectChoice(kind.value, label)
                                                      for kind, label in FORM_KIND_LABELS.items()])
    title = StringField(_l("Judul"), validators=[DataRequired(REQUIRED), Length(max=300)])
    agenda_item = SelectField(_l("Sesi (untuk evaluasi narasumber)"), coerce=str, validate_choice=False)
    opens_at = DateTimeLocalField(_l("Dibuka"), validators=[Optional(), within_years], format="%Y-%m-%dT%H:%M",
                                  description=_l("Waktu setempat acara. Dibuka dan Ditutup kosong pada formulir baru: "
                                                 "menurut jenisnya (pre-test: awal sesi pertama s.d. awal sesi "
                                                 "kedua; post-test: hari terakhir, dari awal sesi terakhir; "
                                                 "narasumber: awal sesinya; evaluasi: hari terakhir). Kosong "
                                                 "saat mengubah: dibuka sekarang."))
    closes_at = DateTimeLocalField(_l("Ditutup"), validators=[Optional(), within_years], format="%Y-%m-%dT%H:%M",
                                   description=_l("Waktu setempat acara. Kosongkan: tidak ditutup otomatis."))
    present_only = BooleanField(
        _l("Hanya peserta yang sudah hadir (check-in; untuk evaluasi narasumber: pada hari sesinya)"), default=True)
    anonymous = BooleanField(
        _l("Anonim: jawaban tidak terhubung ke nama siapa pun, panitia pun tidak dapat melihatnya"))
    show_score = BooleanField(_l("Tampilkan nilai kepada peserta setelah mengisi (pre-/post-test)"))
    min_respondents = WholeNumberField(
        _l("Hasil anonim tampil mulai (responden)"), default=5, maximum=500,
        validators=[Optional(), NumberRange(min=3, max=500, message=_l("Antara 3 dan 500 responden."))],
        description=_l("Jawaban formulir anonim disimpan berkelompok, sebanyak ini sekaligus, dan hasilnya "
                       "tampil mulai jumlah ini: dengan lebih sedikit, jawaban seseorang dapat ditebak."))
    copy_from = SelectField(_l("Salin pertanyaan dari"), coerce=str, validate_choice=False)


class QuestionForm(Form):
    kind = SelectField(_l("Jenis pertanyaan"), choices=[SelectChoice(kind.value, label)
                                                        for kind, label in QUESTION_KIND_LABELS.items()])
    text = TextAreaField(_l("Pertanyaan"), validators=[DataRequired(REQUIRED), Length(max=1000)])
    required = BooleanField(_l("Wajib dijawab"), default=True)
    choices = TextAreaField(_l("Pilihan"), validators=[Optional(), Length(max=7000)],
                            description=_l("Satu pilihan per baris (untuk pilihan tunggal atau ganda)."))
    correct = StringField(_l("Kunci jawaban"), validators=[Optional(), Length(max=60)],
                          description=_l("Huruf pilihan yang benar, mis. B atau A, C (pre-/post-test)."))
    points = WholeNumberField(_l("Poin"), default=1, validators=[Optional(), NumberRange(min=0, max=1000)],
                              maximum=1000)


class QuestionImportForm(Form):
    file = FileField(_l("Berkas pertanyaan (.xlsx)"))
