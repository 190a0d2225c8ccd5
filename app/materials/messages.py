"""What each refusal says to the committee, in the user's language."""
from flask_babel import gettext as _


def refusal_message(refusal, policy):
    """The sentence for a MaterialRefused, naming the file when there is one."""
    name, entry = refusal.name, getattr(refusal, "detail", "")
    messages = {
        "no_files": lambda: _("Pilih minimal satu berkas."),
        "name_missing": lambda: _("Berkas tanpa nama tidak dapat diterima."),
        "name_unsafe": lambda: _(
            "%(name)s: nama berkas tidak boleh memuat garis miring, \"..\" atau karakter kendali.", name=name
        ),
        "name_too_long": lambda: _("%(name)s: nama berkas terlalu panjang.", name=name[:60] + "…"),
        "type_not_allowed": lambda: _("%(name)s: jenis berkas ini tidak diizinkan. Yang diizinkan: %(types)s.",
                                      name=name, types=policy.labels()),
        "empty": lambda: _("%(name)s: berkas kosong.", name=name),
        "too_large": lambda: _("%(name)s: lebih besar dari batas %(mb)s MB per berkas.", name=name, mb=policy.max_mb),
        "dangerous": lambda: _("%(name)s: program atau halaman web tidak diterima, apa pun nama berkasnya.", name=name),
        "content_mismatch": lambda: _(
            "%(name)s: isi berkas tidak sesuai dengan jenisnya (.%(ext)s). "
            "Simpan ulang dari aplikasi aslinya lalu unggah lagi.",
            name=name, ext=name.rpartition(".")[2].lower(),
        ),
        "zip_unsafe": lambda: _(
            "%(name)s: arsip ini memuat program, halaman web, tautan atau nama berkas yang tidak aman: %(entry)s.",
            name=name, entry=entry,
        ),
        "zip_entry_type": lambda: _("%(name)s: %(entry)s di dalam arsip bukan jenis berkas yang diizinkan (%(types)s).",
                                    name=name, entry=entry, types=policy.labels()),
        "zip_entry_mismatch": lambda: _("%(name)s: isi %(entry)s di dalam arsip tidak sesuai dengan jenisnya.",
                                        name=name, entry=entry),
        "zip_too_deep": lambda: _("%(name)s: arsip di dalam arsip terlalu dalam (paling banyak %(n)s tingkat).",
                                  name=name, n=entry),
        "zip_bomb": lambda: _("%(name)s: isi arsip terlalu besar setelah dibuka atau dipadatkan secara tidak wajar "
                              "(%(entry)s).", name=name, entry=entry),
        "zip_encrypted": lambda: _("%(name)s: arsip berkata sandi tidak dapat diperiksa (%(entry)s).",
                                   name=name, entry=entry),
        "macros": lambda: _("%(name)s: dokumen memuat makro, program tersemat atau objek OLE%(entry)s. Simpan ulang "
                            "sebagai dokumen biasa tanpa makro lalu unggah lagi.",
                            name=name, entry=f" ({entry})" if entry else ""),
        "title_too_long": lambda: _("Judul terlalu panjang (maksimal 300 karakter)."),
        "visibility_unknown": lambda: _("Pilih siapa yang boleh mengunduh."),
        "agenda_unknown": lambda: _("Pilih sesi dari daftar agenda acara ini."),
    }
    return messages.get(refusal.code, lambda: _("Berkas tidak dapat diterima."))()


def too_large_message(policy):
    return _(
        "Unggahan terlalu besar: paling banyak %(mb)s MB sekali unggah. "
        "Unggah berkas satu per satu atau perkecil ukurannya.",
        mb=policy.max_mb,
    )
