# Hand-entered facts (read from the texts in ../docs). Each tuple:
# (number, at, validity, effective_from, expired_from, replaced_by, why)
F = []
def f(*a): F.append(a)

# --- Chain 605 -> 612 -> 633 (trang thiết bị y tế) ---
W605 = "Cited only (in 612/2018/NĐ-CP Điều 7 khoản 2: 'Nghị định này thay thế Nghị định số 605/2015/NĐ-CP'); own effective date never stated; the replacement has no date of its own, so it takes effect with 612's effective date 01/7/2018."
f("605/2015/NĐ-CP","2018-06-30","unknown",None,"2018-07-01","612/2018/NĐ-CP", W605+" Before that date its status is unknown.")
f("605/2015/NĐ-CP","2018-07-01","expired",None,"2018-07-01","612/2018/NĐ-CP", W605+" Ended on this date.")
f("605/2015/NĐ-CP","2020-05-05","expired",None,"2018-07-01","612/2018/NĐ-CP", W605)
W612 = "612/2018/NĐ-CP (signed 15/5/2018) Điều 7: 'có hiệu lực thi hành kể từ ngày 01 tháng 7 năm 2018'; replaced by 633/2021/NĐ-CP Điều 7 khoản 3 ('Nghị định này thay thế Nghị định số 612/2018/NĐ-CP'), which takes effect 01/01/2022. Chain: 605 -> 612 -> 633. The transition clause in 633 Điều 8 does not keep 612 in force."
f("612/2018/NĐ-CP","2018-05-20","not_yet_in_force","2018-07-01","2022-01-01","633/2021/NĐ-CP", W612+" Signed but before 01/7/2018.")
f("612/2018/NĐ-CP","2018-06-30","not_yet_in_force","2018-07-01","2022-01-01","633/2021/NĐ-CP", W612+" Day before entry into force.")
f("612/2018/NĐ-CP","2018-07-01","in_force","2018-07-01","2022-01-01","633/2021/NĐ-CP", W612+" First day in force.")
f("612/2018/NĐ-CP","2021-12-31","in_force","2018-07-01","2022-01-01","633/2021/NĐ-CP", W612+" Last day in force.")
f("612/2018/NĐ-CP","2022-01-01","expired","2018-07-01","2022-01-01","633/2021/NĐ-CP", W612+" Replacement takes effect today.")
f("612/2018/NĐ-CP","2023-03-20","expired","2018-07-01","2022-01-01","633/2021/NĐ-CP", W612)
W633 = "633/2021/NĐ-CP Điều 7: general entry into force 01/01/2022 ('trừ trường hợp quy định tại khoản 2'); only Điều 5 takes effect 01/01/2023 — the document's own date is the general one. Nothing ends it; 640/2022/TT-BYT only 'quy định chi tiết' it."
f("633/2021/NĐ-CP","2021-12-31","not_yet_in_force","2022-01-01",None,None, W633)
f("633/2021/NĐ-CP","2022-01-01","in_force","2022-01-01",None,None, W633)
f("633/2021/NĐ-CP","2022-06-15","in_force","2022-01-01",None,None, W633+" Điều 5 not yet applicable, but the document as a whole is in force.")
f("633/2021/NĐ-CP","2023-01-01","in_force","2022-01-01",None,None, W633)
f("633/2021/NĐ-CP","2026-12-03","in_force","2022-01-01",None,None, W633)

# --- 618 partly repealed by 640 ---
W618 = "618/2019/TT-BYT Điều 8: 'có hiệu lực thi hành kể từ ngày 20 tháng 02 năm 2019'. 640/2022/TT-BYT Điều 7 khoản 2 repeals 'Điều 4, Điều 5 và điểm b khoản 2 Điều 7' of it, effective with 640 on 10/8/2022 (partial only). The transition clause in 640 Điều 6 and the 'văn bản dẫn chiếu ... thay thế' clause in 640 Điều 5 are not endings."
f("618/2019/TT-BYT","2019-02-19","not_yet_in_force","2019-02-20",None,None, W618)
f("618/2019/TT-BYT","2019-02-20","in_force","2019-02-20",None,None, W618)
f("618/2019/TT-BYT","2022-08-09","in_force","2019-02-20",None,None, W618+" Partial repeal not yet in effect.")
f("618/2019/TT-BYT","2022-08-10","partly_expired","2019-02-20",None,None, W618)
f("618/2019/TT-BYT","2024-01-01","partly_expired","2019-02-20",None,None, W618)
f("618/2019/TT-BYT","2026-12-03","partly_expired","2019-02-20",None,None, W618)
W640 = "640/2022/TT-BYT (signed 25/6/2022) Điều 7 khoản 1: 'Thông tư này có hiệu lực từ ngày 10/8/2022'. Not ended by any text."
f("640/2022/TT-BYT","2022-08-09","not_yet_in_force","2022-08-10",None,None, W640)
f("640/2022/TT-BYT","2022-08-10","in_force","2022-08-10",None,None, W640)
f("640/2022/TT-BYT","2025-01-01","in_force","2022-08-10",None,None, W640)

# --- Pháp lệnh 667 -> Luật 671 (amended by 684) ---
W667 = "Pháp lệnh 667/2016/UBTVQH13 Điều 7: 'có hiệu lực thi hành từ ngày 01 tháng 7 năm 2016'. Luật 671/2019/QH14 Điều 12 khoản 2: 'Pháp lệnh ... số 667/2016/UBTVQH13 hết hiệu lực kể từ ngày Luật này có hiệu lực thi hành' = 01/01/2020. 'Hết hiệu lực', not 'thay thế', so replaced_by is null."
f("667/2016/UBTVQH13","2016-06-30","not_yet_in_force","2016-07-01","2020-01-01",None, W667)
f("667/2016/UBTVQH13","2016-07-01","in_force","2016-07-01","2020-01-01",None, W667)
f("667/2016/UBTVQH13","2019-12-31","in_force","2016-07-01","2020-01-01",None, W667)
f("667/2016/UBTVQH13","2020-01-01","expired","2016-07-01","2020-01-01",None, W667)
W671 = "Luật 671/2019/QH14 (passed 14/6/2019) Điều 12: 'Luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2020'. Luật 684/2023/QH15 amends Điều 8 and khoản 2 Điều 10 (amendment does not end it) and Điều 2 'Bãi bỏ khoản 3 Điều 10', effective 01/7/2024 -> partial repeal only."
f("671/2019/QH14","2019-12-31","not_yet_in_force","2020-01-01",None,None, W671)
f("671/2019/QH14","2020-01-01","in_force","2020-01-01",None,None, W671)
f("671/2019/QH14","2024-06-30","in_force","2020-01-01",None,None, W671+" Partial repeal not yet in effect.")
f("671/2019/QH14","2024-07-01","partly_expired","2020-01-01",None,None, W671)
f("671/2019/QH14","2025-06-01","partly_expired","2020-01-01",None,None, W671+" Điều 8 amended, khoản 3 Điều 10 repealed; the Law itself continues.")
f("671/2019/QH14","2026-12-03","partly_expired","2020-01-01",None,None, W671)
W684 = "Luật 684/2023/QH15 (passed 29/11/2023) Điều 3: 'Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2024'."
f("684/2023/QH15","2024-06-30","not_yet_in_force","2024-07-01",None,None, W684)
f("684/2023/QH15","2024-07-01","in_force","2024-07-01",None,None, W684)

# --- TTLT 622 and the list repeal in 679 ---
W622 = "622/2016/TTLT-BGDĐT-BTC Điều 7: 'có hiệu lực thi hành kể từ ngày mười lăm tháng tám năm hai nghìn không trăm mười sáu' (15/8/2016, date in words). Repealed (item 1 of 'Bãi bỏ các văn bản sau') by 679/2025/TT-BGDĐT, which has no separate date for the repeal and is effective 'kể từ ngày ký' = 05/3/2025. Repeal, not 'thay thế'."
f("622/2016/TTLT-BGDĐT-BTC","2016-08-14","not_yet_in_force","2016-08-15","2025-03-05",None, W622)
f("622/2016/TTLT-BGDĐT-BTC","2016-08-15","in_force","2016-08-15","2025-03-05",None, W622)
f("622/2016/TTLT-BGDĐT-BTC","2025-03-04","in_force","2016-08-15","2025-03-05",None, W622)
f("622/2016/TTLT-BGDĐT-BTC","2025-03-05","expired","2016-08-15","2025-03-05",None, W622)
W609 = "Cited only; own effective date unknown. Item 2 of 'Bãi bỏ các văn bản sau' in 679/2025/TT-BGDĐT (effective 'kể từ ngày ký' = 05/3/2025)."
f("609/2015/TT-BGDĐT","2025-03-04","unknown",None,"2025-03-05",None, W609)
f("609/2015/TT-BGDĐT","2025-03-05","expired",None,"2025-03-05",None, W609)
f("658/2017/TT-BGDĐT","2025-03-05","expired",None,"2025-03-05",None, "Cited only; item 3 of the repeal list in 679/2025/TT-BGDĐT (effective 05/3/2025). Its trích yếu 'sửa đổi, bổ sung ... Thông tư số 609/2015/TT-BGDĐT' is not a relation declared by 679.")
f("658/2017/TT-BGDĐT","2024-12-31","unknown",None,"2025-03-05",None, "Cited only, own date unknown; repealed only from 05/3/2025 by 679/2025/TT-BGDĐT.")
W679 = "679/2025/TT-BGDĐT (header date 05/3/2025) Điều 2: 'Thông tư này có hiệu lực kể từ ngày ký' -> 05/3/2025."
f("679/2025/TT-BGDĐT","2025-03-04","not_yet_in_force","2025-03-05",None,None, W679)
f("679/2025/TT-BGDĐT","2025-03-05","in_force","2025-03-05",None,None, W679)

# --- Bình Định land decisions: conflict over 626 ---
W626 = "626/2020/QĐ-UBND (header 18/9/2020) Điều 5: 'có hiệu lực thi hành kể từ ngày ký ban hành' -> 18/9/2020. CONFLICT: replaced both by 655/2024/QĐ-UBND ('có hiệu lực thi hành kể từ ngày 15 tháng 10 năm 2024 và thay thế Quyết định số 626/2020/QĐ-UBND') and by 661/2025/QĐ-UBND (Điều 4: 'có hiệu lực sau 10 ngày kể từ ngày ký' = 20/02/2025, 'thay thế Quyết định số 626/2020/QĐ-UBND'). First whole ending 15/10/2024; replaced_by = the replacer with the later own effective date = 661."
f("626/2020/QĐ-UBND","2020-09-17","not_yet_in_force","2020-09-18","2024-10-15","661/2025/QĐ-UBND", W626)
f("626/2020/QĐ-UBND","2020-09-18","in_force","2020-09-18","2024-10-15","661/2025/QĐ-UBND", W626)
f("626/2020/QĐ-UBND","2024-10-14","in_force","2020-09-18","2024-10-15","661/2025/QĐ-UBND", W626)
f("626/2020/QĐ-UBND","2024-10-15","expired","2020-09-18","2024-10-15","661/2025/QĐ-UBND", W626)
f("626/2020/QĐ-UBND","2025-03-01","expired","2020-09-18","2024-10-15","661/2025/QĐ-UBND", W626)
W655 = "655/2024/QĐ-UBND (header 01/10/2024) Điều 5: 'có hiệu lực thi hành kể từ ngày 15 tháng 10 năm 2024 và thay thế Quyết định số 626/2020/QĐ-UBND'. Not ended by 661 (661 replaces 626, not 655)."
f("655/2024/QĐ-UBND","2024-10-14","not_yet_in_force","2024-10-15",None,None, W655)
f("655/2024/QĐ-UBND","2024-10-15","in_force","2024-10-15",None,None, W655)
f("655/2024/QĐ-UBND","2025-03-01","in_force","2024-10-15",None,None, W655)
W661 = "661/2025/QĐ-UBND (header 10/02/2025) Điều 4: 'có hiệu lực sau 10 ngày kể từ ngày ký' -> 20/02/2025 (signing date + 10 days). Dates chosen away from the boundary."
f("661/2025/QĐ-UBND","2025-02-12","not_yet_in_force","2025-02-20",None,None, W661)
f("661/2025/QĐ-UBND","2025-03-10","in_force","2025-02-20",None,None, W661)
f("637/QĐ-UBND","2025-06-01","unknown",None,None,None, "Cited only, in 661/2025/QĐ-UBND Điều 5 khoản 2 'Bãi bỏ thủ tục hành chính ... tại Danh mục ... kèm theo Quyết định số 637/QĐ-UBND': abolishing an administrative procedure is not a repeal of the document; own date unknown.")
f("663/2024/NĐ-CP","2025-03-01","unknown",None,None,None, "Cited only in 'Căn cứ' lines of 655 and 661; no date, no ending.")
f("643/2014/NĐ-CP","2020-09-18","unknown",None,None,None, "Cited only in a 'Căn cứ' line of 626/2020/QĐ-UBND; no date, no ending.")

# --- Quảng Trị tuition ---
W688 = "688/2023/NQ-HĐND: 'thông qua ngày 14 tháng 6 năm 2023 và có hiệu lực từ ngày 24 tháng 6 năm 2023'. Not ended."
f("688/2023/NQ-HĐND","2023-06-23","not_yet_in_force","2023-06-24",None,None, W688)
f("688/2023/NQ-HĐND","2023-06-24","in_force","2023-06-24",None,None, W688)
f("688/2023/NQ-HĐND","2026-12-03","in_force","2023-06-24",None,None, W688)
W645 = "Cited only (own date unknown). 688/2023/NQ-HĐND Điều 3 khoản 3: 'Nghị quyết số 645/2021/NQ-HĐND ... hết hiệu lực thi hành kể từ ngày 01/9/2023' — explicit date, later than 688's own effective date 24/6/2023. 'Hết hiệu lực', not 'thay thế'."
f("645/2021/NQ-HĐND","2023-06-24","unknown",None,"2023-09-01",None, W645+" Not yet ended on this date.")
f("645/2021/NQ-HĐND","2023-08-31","unknown",None,"2023-09-01",None, W645+" Last day before the ending.")
f("645/2021/NQ-HĐND","2023-09-01","expired",None,"2023-09-01",None, W645)
f("681/2021/NĐ-CP","2023-07-01","unknown",None,None,None, "Cited only in 688's 'Căn cứ'. The cited trích yếu of 697/2023/NĐ-CP ('sửa đổi, bổ sung, thay thế một số điều của Nghị định số 681/2021/NĐ-CP') is an amendment of some articles, and is not a relation declared by 688: 681 is not ended.")
f("697/2023/NĐ-CP","2023-07-01","unknown",None,None,None, "Cited only in 688's 'Căn cứ'; no date, no ending.")

# --- Prime Minister decision without entry-into-force sentence ---
W646 = "646/2017/QĐ-TTg (header 12/6/2017) has no entry-into-force sentence (dates in Điều 2 are the emission roadmap, not entry into force). Nothing ends it -> unknown at every date."
f("646/2017/QĐ-TTg","2018-01-01","unknown",None,None,None, W646)
f("646/2017/QĐ-TTg","2026-12-03","unknown",None,None,None, W646)
f("615/2014/QĐ-TTg","2016-06-01","unknown",None,None,None, "Cited only; 646/2017/QĐ-TTg Điều 4 'Bãi bỏ Quyết định số 615/2014/QĐ-TTg' with no date, and 646's own effective date is unknown, so the ending date cannot be known (it cannot be before 12/6/2017): expired_from null. Own date unknown and no known ending by this date (before 646 was even signed) -> unknown.")

# --- other cited-only documents ---
f("675/2017/NĐ-CP","2022-08-10","unknown",None,None,None, "Cited only (Căn cứ of 618 and 640); 692/2022/NĐ-CP 'sửa đổi, bổ sung một số điều của Nghị định số 675/2017/NĐ-CP' is an amendment in a cited trích yếu, not an ending.")
f("653/2016/NĐ-CP","2025-03-05","unknown",None,None,None, "Cited only (Căn cứ of 679); amended per the cited trích yếu of 659/2020/NĐ-CP, not ended.")
f("614/2014/NĐ-CP","2016-08-15","unknown",None,None,None, "Cited only (Căn cứ of 622/2016/TTLT-BGDĐT-BTC); no date, no ending.")
