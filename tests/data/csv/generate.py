#!/usr/bin/env python3
"""Regenerate the CSV fixtures of tests/unit/check_csv.c (committed; this
script documents how their bytes were made):
    python3 tests/data/csv/generate.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


# What Excel in a Russian locale writes for "CSV (разделители - запятые)":
# Windows-1251, ';', CRLF, quotes only where needed, a newline typed with
# Alt+Enter inside a cell is a bare LF.
write("excel-ru-cp1251.csv",
      ("Наименование;Описание;Цена, тг\r\n"
       'Кабель;"Витая пара ""UTP"" кат. 5e;\nпо ГОСТ";1 200,50\r\n'
       "Коммутатор №2;Ёмкость — 24 порта;\r\n").encode("cp1251"))

# LibreOffice with "quote all text cells": UTF-8 without BOM, ',', LF.
write("libreoffice-utf8.csv",
      ('"name","value","note"\n'
       '"Қазақстан","1,5","ok"\n'
       '"empty","",""\n').encode("utf-8"))

# Excel "CSV UTF-8": BOM, ';', CRLF, with empty trailing lines.
write("excel-utf8-bom.csv",
      b"\xef\xbb\xbf" +
      ("a;b\r\n1;\"x\r\ny\"\r\n\r\n\r\n").encode("utf-8"))
