"""Writes w08_xa-hoa-an_kh-chuyen-doi-so.docx: a commune's plan typed in Word, its task table with one
"Đơn vị thực hiện" column where the lead is marked "(chủ trì)", a lead cell merged down over two rows and
group rows spanning the table. Run: python build_w08.py (python-docx)."""

from __future__ import annotations

from pathlib import Path

from docx import Document

ROWS = [
    ("I", "Hạ tầng số", None, None),
    ("1", "Rà soát, nâng cấp đường truyền Internet tại trụ sở và nhà văn hóa các thôn",
     "Công chức Văn hóa - Xã hội (chủ trì); Bưu điện xã", "Quý II/2027"),
    ("2", "Lắp đặt hệ thống camera an ninh tại các tuyến đường chính",
     "Công an xã (chủ trì); Ban Chỉ huy Quân sự xã", "Quý III/2027"),
    ("3", "Duy trì, bảo dưỡng hệ thống camera an ninh", None, "Thường xuyên"),
    ("II", "Dịch vụ công trực tuyến", None, None),
    ("4", "Hướng dẫn người dân nộp hồ sơ trực tuyến tại Bộ phận một cửa",
     "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã (chủ trì); Đoàn Thanh niên xã", "Hằng tháng"),
    ("5", "Tuyên truyền về thanh toán không dùng tiền mặt trên hệ thống truyền thanh",
     "Công chức Văn hóa - Xã hội (chủ trì); Hội Liên hiệp Phụ nữ xã, Hội Nông dân xã", "Năm 2027"),
]


def build(path: Path) -> Path:
    d = Document()
    for line in ("ỦY BAN NHÂN DÂN", "XÃ HÒA AN", "Số: 12/KH-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "Hòa An, ngày 05 tháng 02 năm 2027", "KẾ HOẠCH",
                 "Chuyển đổi số trên địa bàn xã năm 2027",
                 "I. NHIỆM VỤ CỤ THỂ", "Các nhiệm vụ và đơn vị thực hiện theo bảng sau:"):  # fmt: skip
        d.add_paragraph(line)
    t = d.add_table(rows=1, cols=4)
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, ("TT", "Nội dung nhiệm vụ", "Đơn vị thực hiện", "Thời gian"), strict=True):
        cell.text = text
    above = None
    for no, task, who, when in ROWS:
        row = t.add_row().cells
        if who is None and when is None:  # a group row: its title across the table
            row[0].text = no
            row[1].merge(row[3]).text = task
            continue
        row[0].text, row[1].text, row[3].text = no, task, when
        if who is None:  # the lead cell of the row above, merged down over this one
            above.merge(row[2])
        else:
            row[2].text = who
            above = row[2]
    for line in ("II. TỔ CHỨC THỰC HIỆN",
                 "1. Công chức Văn phòng - Thống kê là đầu mối theo dõi, tổng hợp kết quả thực hiện Kế hoạch, "
                 "báo cáo Ủy ban nhân dân xã trước ngày 10/12/2027.",
                 "2. Các thôn căn cứ Kế hoạch này phối hợp tuyên truyền, vận động Nhân dân tham gia."):  # fmt: skip
        d.add_paragraph(line)
    d.save(path)
    return path


if __name__ == "__main__":
    build(Path(__file__).with_name("w08_xa-hoa-an_kh-chuyen-doi-so.docx"))
