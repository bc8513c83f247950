"""The check-in's choice widgets, rendered in Python: the markup ``format_html`` made, every value
and label escaped, the chosen ones checked."""

from __future__ import annotations

from django.utils.safestring import mark_safe

from entraide.core.widgets import ChipsWidget, FastRadioSelect, ScaleWidget


def test_labels_and_values_are_escaped_and_the_chosen_ones_checked():
    widget = ChipsWidget(choices=[("a&b", '<b>"gras"</b>'), ("c", mark_safe("<i>sûr</i>")), ("d", "d")])
    html = widget.render("emotions", ["c", "d"], {"id": "id_emotions"})
    assert html == (
        '<div class="chips">'
        '<label class="chip"><input type="checkbox" name="emotions" value="a&amp;b" id="id_emotions_0">'
        " <span>&lt;b&gt;&quot;gras&quot;&lt;/b&gt;</span></label>"
        '<label class="chip"><input type="checkbox" name="emotions" value="c" id="id_emotions_1" checked>'
        " <span><i>sûr</i></span></label>"
        '<label class="chip"><input type="checkbox" name="emotions" value="d" id="id_emotions_2" checked>'
        " <span>d</span></label></div>"
    )


def test_radios_without_an_id_and_a_scale_with_its_words():
    radios = FastRadioSelect(choices=[("yes", "Oui"), ("no", "Non")]).render("meals", "no", None)
    assert radios == (
        '<div class="inline-choices"><label><input type="radio" name="meals" value="yes"> <span>Oui</span></label>'
        '<label><input type="radio" name="meals" value="no" checked> <span>Non</span></label></div>'
    )
    scale = ScaleWidget(low="0 : <très bas>", high="10", choices=[("0", "0"), ("1", "1")]).render(
        "mood", 1, {}
    )
    assert 'value="1" checked>' in scale and "0 : &lt;très bas&gt;" in scale
