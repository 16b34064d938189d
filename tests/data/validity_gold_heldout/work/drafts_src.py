# Drafts: (id, date_or_None, text, expected[(number, unit, codes)])
D = []
HDR = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------\n"

D.append(("d01-bao-cao-kiem-tra-ttbyt-2023", "2023-03-20",
"SỞ Y TẾ TỈNH BÌNH ĐỊNH\n-------\n" + HDR +
"""Số:      /BC-SYT
Bình Định, ngày 20 tháng 3 năm 2023

BÁO CÁO
Kết quả kiểm tra công tác kiểm định trang thiết bị y tế năm 2022

Thực hiện Nghị định số 633/2021/NĐ-CP ngày 15 tháng 11 năm 2021 của Chính phủ về quản lý trang thiết bị y tế và Thông tư số 640/2022/TT-BYT ngày 25 tháng 6 năm 2022 của Bộ trưởng Bộ Y tế, Sở Y tế báo cáo kết quả kiểm tra tại 15 cơ sở khám bệnh, chữa bệnh như sau:
1. Về hồ sơ kiểm định: nhiều cơ sở vẫn lập hồ sơ đề nghị kiểm định theo Điều 4 Thông tư số 618/2019/TT-BYT; 08/15 cơ sở đã lập kế hoạch kiểm định định kỳ theo đúng điểm a khoản 2 Điều 7 Thông tư số 618/2019/TT-BYT.
2. Về chế độ báo cáo: 05 cơ sở chưa gửi báo cáo kết quả kiểm định về Sở Y tế theo điểm b khoản 2 Điều 7 Thông tư số 618/2019/TT-BYT.
3. Về số lưu hành: đề nghị các cơ sở tiếp tục thực hiện thủ tục thu hồi số lưu hành theo Điều 6 Nghị định số 612/2018/NĐ-CP.

Nơi nhận:
- Bộ Y tế;
- UBND tỉnh;
- Lưu: VT, NVY.

GIÁM ĐỐC
""",
[("633/2021/NĐ-CP", None, []),
 ("640/2022/TT-BYT", None, []),
 ("618/2019/TT-BYT", "Điều 4", ["unit_repealed"]),
 ("618/2019/TT-BYT", "điểm a khoản 2 Điều 7", []),
 ("618/2019/TT-BYT", "điểm b khoản 2 Điều 7", ["unit_repealed"]),
 ("612/2018/NĐ-CP", "Điều 6", ["expired"])]))

D.append(("d02-ke-hoach-kiem-dinh-2022", "2022-05-10",
"SỞ Y TẾ TỈNH BÌNH ĐỊNH\n-------\n" + HDR +
"""Số:      /KH-SYT
Bình Định, ngày 10 tháng 5 năm 2022

KẾ HOẠCH
Kiểm định trang thiết bị y tế năm 2022

Căn cứ Nghị định số 612/2018/NĐ-CP ngày 15 tháng 5 năm 2018 của Chính phủ về quản lý trang thiết bị y tế;
Căn cứ Thông tư số 618/2019/TT-BYT ngày 02 tháng 01 năm 2019 của Bộ trưởng Bộ Y tế quy định về kiểm định an toàn và tính năng kỹ thuật trang thiết bị y tế;
Sở Y tế xây dựng Kế hoạch kiểm định trang thiết bị y tế năm 2022 như sau:
I. MỤC ĐÍCH, YÊU CẦU
Bảo đảm 100% trang thiết bị y tế thuộc danh mục phải kiểm định được kiểm định đúng chu kỳ quy định tại Điều 5 Thông tư số 618/2019/TT-BYT.
II. NỘI DUNG
1. Các cơ sở rà soát, phân loại trang thiết bị y tế theo Điều 3 Nghị định số 633/2021/NĐ-CP.
2. Phòng Nghiệp vụ Y tổng hợp kết quả, báo cáo Giám đốc Sở trước ngày 30/11/2022.

KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
""",
[("612/2018/NĐ-CP", None, ["expired"]),
 ("618/2019/TT-BYT", None, []),
 ("618/2019/TT-BYT", "Điều 5", []),
 ("633/2021/NĐ-CP", "Điều 3", [])]))

D.append(("d03-bao-cao-y-te-truong-hoc-2024", "2024-06-20",
"SỞ GIÁO DỤC VÀ ĐÀO TẠO\nTỈNH QUẢNG TRỊ\n-------\n" + HDR +
"""Số:      /BC-SGDĐT
Quảng Trị, ngày 20 tháng 6 năm 2024

BÁO CÁO
Công tác y tế trường học năm học 2023 - 2024

Thực hiện Luật Y tế học đường số 671/2019/QH14, Sở Giáo dục và Đào tạo báo cáo như sau:
1. Về nhân viên y tế trường học: 42 trường có dưới 300 học sinh đang bố trí giáo viên kiêm nhiệm công tác y tế trường học theo khoản 3 Điều 10 Luật Y tế học đường số 671/2019/QH14.
2. Một số trường vẫn lập sổ theo dõi sức khỏe học sinh theo mẫu hướng dẫn Pháp lệnh Y tế học đường số 667/2016/UBTVQH13, chưa chuyển sang mẫu mới.
3. Luật số 684/2023/QH15 sửa đổi, bổ sung một số điều của Luật Y tế học đường sẽ có hiệu lực từ ngày 01/7/2024; Sở đề nghị các trường chủ động chuẩn bị nhân lực để thực hiện.

GIÁM ĐỐC
""",
[("671/2019/QH14", None, []),
 ("671/2019/QH14", "khoản 3 Điều 10", []),
 ("667/2016/UBTVQH13", None, ["expired"]),
 ("684/2023/QH15", None, ["not_yet_in_force"])]))

D.append(("d04-bao-cao-phong-gddt-khong-ngay", None,
"ỦY BAN NHÂN DÂN HUYỆN HẢI LĂNG\nPHÒNG GIÁO DỤC VÀ ĐÀO TẠO\n-------\n" + HDR +
"""Số:      /BC-PGDĐT

BÁO CÁO
Tình hình thực hiện công tác y tế trường học và chính sách học phí, hỗ trợ trẻ em

Căn cứ Luật Y tế học đường số 671/2019/QH14 đã được sửa đổi, bổ sung bởi Luật số 684/2023/QH15;
Căn cứ Nghị quyết số 688/2023/NQ-HĐND của Hội đồng nhân dân tỉnh Quảng Trị quy định mức thu học phí đối với cơ sở giáo dục mầm non, giáo dục phổ thông công lập;
Phòng Giáo dục và Đào tạo báo cáo như sau:
1. Trường THCS Hải Thượng có 265 học sinh, hiện bố trí 01 giáo viên kiêm nhiệm công tác y tế theo khoản 3 Điều 10 Luật số 671/2019/QH14.
2. Công tác khám sức khỏe định kỳ được thực hiện theo Điều 8 Luật số 671/2019/QH14 (đã được sửa đổi, bổ sung).
3. Các trường mầm non tiếp tục lập danh sách trẻ được hỗ trợ tiền ăn trưa theo Thông tư liên tịch số 622/2016/TTLT-BGDĐT-BTC.
4. Một số trường vẫn thu học phí theo mức quy định tại Nghị quyết số 645/2021/NQ-HĐND, chưa điều chỉnh.

TRƯỞNG PHÒNG
""",
[("671/2019/QH14", None, []),
 ("684/2023/QH15", None, []),
 ("688/2023/NQ-HĐND", None, []),
 ("671/2019/QH14", "khoản 3 Điều 10", ["unit_repealed"]),
 ("671/2019/QH14", "Điều 8", []),
 ("622/2016/TTLT-BGDĐT-BTC", None, ["expired"]),
 ("645/2021/NQ-HĐND", None, ["expired"])]))

D.append(("d05-du-thao-qd-han-muc-cong-nhan-dat-o", "2025-01-06",
"ỦY BAN NHÂN DÂN\nTỈNH BÌNH ĐỊNH\n-------\n" + HDR +
"""Số:    /2025/QĐ-UBND
DỰ THẢO
Bình Định, ngày 06 tháng 01 năm 2025

QUYẾT ĐỊNH
Quy định hạn mức công nhận đất ở đối với trường hợp thửa đất có vườn, ao trên địa bàn tỉnh Bình Định

ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH

Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
Căn cứ Luật Đất đai ngày 18 tháng 01 năm 2024;
Căn cứ Nghị định số 663/2024/NĐ-CP ngày 30 tháng 7 năm 2024 của Chính phủ quy định chi tiết thi hành một số điều của Luật Đất đai;
Theo đề nghị của Giám đốc Sở Tài nguyên và Môi trường.

QUYẾT ĐỊNH:

Điều 1. Phạm vi điều chỉnh
Quyết định này quy định hạn mức công nhận đất ở đối với trường hợp thửa đất có vườn, ao trên địa bàn tỉnh. Hạn mức giao đất ở thực hiện theo Quyết định số 655/2024/QĐ-UBND ngày 01 tháng 10 năm 2024 của Ủy ban nhân dân tỉnh.

Điều 2. Hạn mức công nhận đất ở
Thửa đất được hình thành trước ngày 18 tháng 12 năm 1980: 400 m2 tại các phường, thị trấn và 1.000 m2 tại các xã.

Điều 3. Hiệu lực thi hành
Quyết định này có hiệu lực thi hành kể từ ngày    tháng    năm 2025 và thay thế Quyết định số 626/2020/QĐ-UBND ngày 18 tháng 9 năm 2020 của Ủy ban nhân dân tỉnh Bình Định.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
""",
[("663/2024/NĐ-CP", None, []),
 ("655/2024/QĐ-UBND", None, []),
 ("626/2020/QĐ-UBND", None, [])]))

D.append(("d06-ke-hoach-nam-hoc-2016", "2016-07-25",
"SỞ GIÁO DỤC VÀ ĐÀO TẠO\nTỈNH QUẢNG TRỊ\n-------\n" + HDR +
"""Số:      /KH-SGDĐT
Quảng Trị, ngày 25 tháng 7 năm 2016

KẾ HOẠCH
Triển khai công tác y tế trường học và chính sách hỗ trợ trẻ em mẫu giáo năm học 2016 - 2017

Căn cứ Pháp lệnh Y tế học đường số 667/2016/UBTVQH13;
Căn cứ Thông tư liên tịch số 622/2016/TTLT-BGDĐT-BTC ngày 30 tháng 6 năm 2016 của Bộ trưởng Bộ Giáo dục và Đào tạo và Bộ trưởng Bộ Tài chính hướng dẫn thực hiện chính sách hỗ trợ tiền ăn trưa đối với trẻ em mẫu giáo ba đến năm tuổi;
Căn cứ Thông tư số 609/2015/TT-BGDĐT ngày 14 tháng 4 năm 2015 của Bộ trưởng Bộ Giáo dục và Đào tạo ban hành Quy chế tổ chức và hoạt động của trường mầm non dân lập;
Sở Giáo dục và Đào tạo xây dựng Kế hoạch như sau:
1. Các trường có từ 500 học sinh trở lên bố trí nhân viên y tế theo Điều 5 Pháp lệnh số 667/2016/UBTVQH13.
2. Các trường mầm non tổ chức tiếp nhận hồ sơ đề nghị hỗ trợ tiền ăn trưa theo Điều 4 Thông tư liên tịch số 622/2016/TTLT-BGDĐT-BTC ngay từ đầu tháng 8/2016.

GIÁM ĐỐC
""",
[("667/2016/UBTVQH13", None, []),
 ("622/2016/TTLT-BGDĐT-BTC", None, ["not_yet_in_force"]),
 ("609/2015/TT-BGDĐT", None, []),
 ("667/2016/UBTVQH13", "Điều 5", []),
 ("622/2016/TTLT-BGDĐT-BTC", "Điều 4", ["not_yet_in_force"])]))

D.append(("d07-bao-cao-thu-hoc-phi-2023", "2023-07-10",
"SỞ GIÁO DỤC VÀ ĐÀO TẠO\nTỈNH QUẢNG TRỊ\n-------\n" + HDR +
"""Số:      /BC-SGDĐT
Quảng Trị, ngày 10 tháng 7 năm 2023

BÁO CÁO
Tình hình triển khai thu học phí năm học 2023 - 2024

Thực hiện Nghị quyết số 688/2023/NQ-HĐND ngày 14 tháng 6 năm 2023 của Hội đồng nhân dân tỉnh quy định mức thu học phí đối với cơ sở giáo dục mầm non, giáo dục phổ thông công lập trên địa bàn tỉnh từ năm học 2023 - 2024; Nghị định số 681/2021/NĐ-CP ngày 27 tháng 8 năm 2021 của Chính phủ được sửa đổi, bổ sung bởi Nghị định số 697/2023/NĐ-CP ngày 20 tháng 3 năm 2023, Sở Giáo dục và Đào tạo báo cáo như sau:
1. Đến hết ngày 31/8/2023, các cơ sở giáo dục tiếp tục thực hiện mức thu học phí theo Nghị quyết số 645/2021/NQ-HĐND.
2. Từ năm học 2023 - 2024, các cơ sở giáo dục áp dụng mức thu quy định tại Điều 2 Nghị quyết số 688/2023/NQ-HĐND.

GIÁM ĐỐC
""",
[("688/2023/NQ-HĐND", None, []),
 ("681/2021/NĐ-CP", None, []),
 ("697/2023/NĐ-CP", None, []),
 ("645/2021/NQ-HĐND", None, []),
 ("688/2023/NQ-HĐND", "Điều 2", [])]))

D.append(("d08-bao-cao-ra-soat-quy-1-2025", "2025-03-10",
"SỞ TƯ PHÁP TỈNH BÌNH ĐỊNH\n-------\n" + HDR +
"""Số:      /BC-STP
Bình Định, ngày 10 tháng 3 năm 2025

BÁO CÁO
Kết quả rà soát việc áp dụng văn bản quy phạm pháp luật quý I năm 2025

1. Lĩnh vực đất đai: Quyết định số 661/2025/QĐ-UBND ngày 10 tháng 02 năm 2025 của Ủy ban nhân dân tỉnh đã được đăng Công báo tỉnh. Tuy nhiên, một số huyện vẫn áp dụng hạn mức công nhận đất ở quy định tại Điều 4 Quyết định số 626/2020/QĐ-UBND để giải quyết hồ sơ.
2. Lĩnh vực giáo dục: Phòng Giáo dục và Đào tạo các huyện vẫn căn cứ Thông tư liên tịch số 622/2016/TTLT-BGDĐT-BTC để chi trả hỗ trợ tiền ăn trưa; một số trường mầm non dân lập vẫn xây dựng quy chế theo Thông tư số 609/2015/TT-BGDĐT và Thông tư số 658/2017/TT-BGDĐT. Đề nghị các đơn vị cập nhật theo Thông tư số 679/2025/TT-BGDĐT ngày 05 tháng 3 năm 2025 của Bộ trưởng Bộ Giáo dục và Đào tạo.

GIÁM ĐỐC
""",
[("661/2025/QĐ-UBND", None, []),
 ("626/2020/QĐ-UBND", "Điều 4", ["expired"]),
 ("622/2016/TTLT-BGDĐT-BTC", None, ["expired"]),
 ("609/2015/TT-BGDĐT", None, ["expired"]),
 ("658/2017/TT-BGDĐT", None, ["expired"]),
 ("679/2025/TT-BGDĐT", None, [])]))

D.append(("d09-ke-hoach-trien-khai-nd-612", "2018-06-20",
"SỞ Y TẾ TỈNH BÌNH ĐỊNH\n-------\n" + HDR +
"""Số:      /KH-SYT
Bình Định, ngày 20 tháng 6 năm 2018

KẾ HOẠCH
Triển khai Nghị định số 612/2018/NĐ-CP ngày 15 tháng 5 năm 2018 của Chính phủ về quản lý trang thiết bị y tế

1. Đến hết ngày 30/6/2018, các cơ sở kinh doanh trang thiết bị y tế tiếp tục thực hiện theo Nghị định số 605/2015/NĐ-CP.
2. Từ ngày 01/7/2018, các cơ sở chỉ được lưu hành trang thiết bị y tế đã có số lưu hành theo Điều 4 Nghị định số 612/2018/NĐ-CP.
3. Phòng Nghiệp vụ Dược tổ chức tập huấn cho các cơ sở trong tháng 6/2018.

GIÁM ĐỐC
""",
[("612/2018/NĐ-CP", None, ["not_yet_in_force"]),
 ("605/2015/NĐ-CP", None, []),
 ("612/2018/NĐ-CP", "Điều 4", ["not_yet_in_force"])]))

D.append(("d10-bao-cao-ra-soat-vien-dan-khong-ngay", None,
"SỞ TƯ PHÁP TỈNH BÌNH ĐỊNH\n-------\n" + HDR +
"""Số:      /BC-STP

BÁO CÁO
Kết quả rà soát việc viện dẫn văn bản trong các dự thảo do các sở, ngành trình

1. Sở Giao thông vận tải: dự thảo kế hoạch kiểm soát khí thải viện dẫn Quyết định số 646/2017/QĐ-TTg và lộ trình tại Điều 2 Quyết định số 646/2017/QĐ-TTg.
2. Sở Y tế: dự thảo hướng dẫn vẫn viện dẫn Nghị định số 612/2018/NĐ-CP và Điều 4 Nghị định số 612/2018/NĐ-CP về số lưu hành; viện dẫn điểm b khoản 2 Điều 7 Thông tư số 618/2019/TT-BYT về chế độ báo cáo kết quả kiểm định; viện dẫn Điều 5 Nghị định số 633/2021/NĐ-CP về mã định danh và Thông tư số 640/2022/TT-BYT về hồ sơ kiểm định.
3. Sở Giáo dục và Đào tạo: dự thảo viện dẫn Luật số 684/2023/QH15 sửa đổi, bổ sung một số điều của Luật Y tế học đường.

GIÁM ĐỐC
""",
[("646/2017/QĐ-TTg", None, []),
 ("646/2017/QĐ-TTg", "Điều 2", []),
 ("612/2018/NĐ-CP", None, ["expired"]),
 ("612/2018/NĐ-CP", "Điều 4", ["expired"]),
 ("618/2019/TT-BYT", "điểm b khoản 2 Điều 7", ["unit_repealed"]),
 ("633/2021/NĐ-CP", "Điều 5", []),
 ("640/2022/TT-BYT", None, []),
 ("684/2023/QH15", None, [])]))

D.append(("d11-ke-hoach-trien-khai-qd-655", "2024-10-10",
"SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG\nTỈNH BÌNH ĐỊNH\n-------\n" + HDR +
"""Số:      /KH-STNMT
Bình Định, ngày 10 tháng 10 năm 2024

KẾ HOẠCH
Triển khai Quyết định số 655/2024/QĐ-UBND ngày 01 tháng 10 năm 2024 của Ủy ban nhân dân tỉnh quy định hạn mức giao đất ở cho cá nhân trên địa bàn tỉnh

1. Đến hết ngày 14/10/2024, việc giao đất ở tiếp tục thực hiện theo Điều 3 Quyết định số 626/2020/QĐ-UBND; việc công nhận đất ở thực hiện theo Quyết định số 626/2020/QĐ-UBND.
2. Tổ chức tập huấn nội dung Điều 3 Quyết định số 655/2024/QĐ-UBND cho công chức địa chính cấp xã trước ngày 15/10/2024.

GIÁM ĐỐC
""",
[("655/2024/QĐ-UBND", None, ["not_yet_in_force"]),
 ("626/2020/QĐ-UBND", "Điều 3", []),
 ("626/2020/QĐ-UBND", None, []),
 ("655/2024/QĐ-UBND", "Điều 3", ["not_yet_in_force"])]))

D.append(("d12-du-thao-tt-sua-doi-tt-640", "2022-07-15",
"BỘ Y TẾ\n-------\n" + HDR +
"""Số:    /2022/TT-BYT
DỰ THẢO
Hà Nội, ngày 15 tháng 7 năm 2022

THÔNG TƯ
Sửa đổi, bổ sung một số điều của Thông tư số 640/2022/TT-BYT ngày 25 tháng 6 năm 2022 của Bộ trưởng Bộ Y tế quy định chi tiết một số điều của Nghị định số 633/2021/NĐ-CP

Căn cứ Nghị định số 633/2021/NĐ-CP ngày 15 tháng 11 năm 2021 của Chính phủ về quản lý trang thiết bị y tế;
Căn cứ Nghị định số 692/2022/NĐ-CP ngày 12 tháng 01 năm 2022 của Chính phủ sửa đổi, bổ sung một số điều của Nghị định số 675/2017/NĐ-CP quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ Y tế;
Bộ trưởng Bộ Y tế ban hành Thông tư sửa đổi, bổ sung một số điều của Thông tư số 640/2022/TT-BYT.

Điều 1. Sửa đổi, bổ sung khoản 1 Điều 4 Thông tư số 640/2022/TT-BYT như sau:
"1. Chu kỳ kiểm định định kỳ là 12 tháng đối với thiết bị bức xạ dùng trong chẩn đoán, máy thở, máy gây mê kèm thở và lồng ấp trẻ sơ sinh."

Điều 2. Hiệu lực thi hành
Thông tư này có hiệu lực thi hành kể từ ngày 10 tháng 8 năm 2022.

KT. BỘ TRƯỞNG
THỨ TRƯỞNG
""",
[("640/2022/TT-BYT", None, []),
 ("633/2021/NĐ-CP", None, []),
 ("633/2021/NĐ-CP", None, []),
 ("692/2022/NĐ-CP", None, []),
 ("675/2017/NĐ-CP", None, []),
 ("640/2022/TT-BYT", None, []),
 ("640/2022/TT-BYT", "khoản 1 Điều 4", [])]))
