"""organizations/uploads.py: files are judged by their content, never by their name alone."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from machinery.uploads import validate_upload

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40


def xlsx_bytes() -> bytes:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "目标"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_it_accepts_pdf_image_and_office_files():
    assert validate_upload(SimpleUploadedFile("证明.pdf", PDF)) == "pdf"
    assert validate_upload(SimpleUploadedFile("photo.png", PNG)) == "png"
    assert validate_upload(SimpleUploadedFile("表.xlsx", xlsx_bytes())) == "xlsx"


def test_it_refuses_a_disguised_extension():
    with pytest.raises(ValidationError) as e:
        validate_upload(SimpleUploadedFile("报告.pdf", b"MZ\x90\x00" + b"\x00" * 200))
    assert "文件内容" in str(e.value)
    with pytest.raises(ValidationError) as e:
        validate_upload(SimpleUploadedFile("照片.jpg", PDF))
    assert "不符" in str(e.value)


def test_it_refuses_an_executable_name():
    with pytest.raises(ValidationError) as e:
        validate_upload(SimpleUploadedFile("run.exe", PDF))
    assert "不支持的文件类型" in str(e.value)


def test_it_refuses_an_oversize_file():
    with pytest.raises(ValidationError) as e:
        validate_upload(SimpleUploadedFile("big.pdf", PDF + b"0" * (2 * 1024 * 1024)), max_mb=1)
    assert "文件过大" in str(e.value)


def test_it_limits_to_the_kinds_asked():
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile("photo.png", PNG), kinds=("pdf",))
