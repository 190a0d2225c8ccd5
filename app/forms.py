"""The base of every HTML form: it reads form bodies only.

Flask-WTF would also read a JSON body into the form, and a JSON list, number or string
there is a TypeError (a 500), while nested values reach the validators as non-strings.
Browsers submitting our pages send form bodies, so a JSON body counts as an empty form.
"""
from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto, _is_submitted
from werkzeug.datastructures import CombinedMultiDict


class Form(FlaskForm):
    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            if formdata is not _Auto:
                return formdata
            if not _is_submitted():
                return None
            if request.files:
                return CombinedMultiDict((request.files, request.form))
            return request.form or None
