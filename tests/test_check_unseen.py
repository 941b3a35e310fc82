"""scripts/check_unseen.py reads a folder of pages through both paths and GNE."""

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
P1 = "为进一步提升群众就医体验，我院自本月起在门诊大厅增设自助服务区，提供预约挂号、缴费和报告打印等服务，患者平均等候时间明显缩短。"
P2 = "据介绍，自助服务区共配置二十台智能终端，并安排志愿者现场引导老年患者使用，同时保留人工窗口，满足不同群体的就诊需求。"


def _script():
    spec = importlib.util.spec_from_file_location("check_unseen", REPO / "scripts" / "check_unseen.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_check_unseen_prints_both_paths_and_a_summary(tmp_path, capsys):
    page = (
        "<html><head><meta charset='utf-8'><title>门诊增设自助服务区_某某医院</title></head><body>"
        "<div>网站首页 | 新闻中心</div><h1>门诊增设自助服务区</h1><div>2023-06-16 10:30 来源：某某医院</div>"
        f"<div class='content'><p>{P1}</p><p>{P2}</p></div></body></html>"
    )
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "1.html").write_text(page, encoding="utf-8")
    assert _script().main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "== site/1.html" in out
    assert "html: title='门诊增设自助服务区' date=2023-06-16T10:30" in out
    assert "text: title='门诊增设自助服务区' date=2023-06-16T10:30" in out
    assert "1 pages: text-dump path agrees with the HTML path on title 1/1, date 1/1" in out
