"""A chart's figure as its page carries it (deals/templatetags/chart_data.py)."""

import json
import re

from deals.templatetags.chart_data import figure_script

FIGURE = {"data": [{"name": "أمازون", "hovertext": ["</script><!-- & more"], "y": [1.5]}]}


def _block(html: str) -> str:
    match = re.fullmatch(r'<script id="f" type="application/json">(.*)</script>', html, re.S)
    assert match, html
    return match.group(1)


def test_arabic_text_is_written_as_it_is_and_reads_back_the_same():
    html = figure_script(FIGURE, "f")
    assert "أمازون" in html
    assert "\\u0623" not in html  # not as escapes six times its size
    assert json.loads(_block(html)) == FIGURE


def test_nothing_in_a_label_can_end_the_block():
    block = _block(figure_script(FIGURE, "f"))
    assert "</script>" not in block and "<!--" not in block and "&" not in block


def test_the_element_id_is_escaped():
    assert 'id="a&quot;b"' in figure_script({}, 'a"b')
