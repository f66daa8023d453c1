"""The server-drawn charts (cms.charts): accessible SVG, escaped text, the same figures in the table."""

from xml.etree import ElementTree

from cms.charts import bar_chart, grid_chart, lines

SVG = "{http://www.w3.org/2000/svg}"


def _parse(chart):
    return ElementTree.fromstring(str(chart.svg))  # noqa: S314 - markup this test just made


def test_a_bar_chart_is_a_named_and_described_image_with_its_figures_in_the_table():
    chart = bar_chart(chart_id="c1", title="Soutiens", description="Trois propositions.",
                      items=[("Bal", 12), ("Repas", 3), ("Atelier", 0)], label_header="Proposition",
                      value_header="Soutiens")
    svg = _parse(chart)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c1-title c1-desc"
    assert svg.find(f"{SVG}title").get("id") == "c1-title" and svg.find(f"{SVG}title").text == "Soutiens"
    assert svg.find(f"{SVG}desc").text == "Trois propositions."
    widths = [float(rect.get("width")) for rect in svg.iter(f"{SVG}rect")]
    assert widths[0] > widths[1] > widths[2] == 0  # scaled to the largest; a zero draws no bar
    assert chart.table.columns == ["Soutiens"]
    assert chart.table.rows == [("Bal", [12]), ("Repas", [3]), ("Atelier", [0])]


def test_chart_text_is_escaped():
    chart = bar_chart(chart_id="c2", title="<b>titre</b>", description="d & d",
                      items=[('<script>alert("x")</script>', 1)], label_header="l", value_header="v")
    assert "<script>" not in str(chart.svg) and "&lt;script&gt;" in str(chart.svg)
    _parse(chart)  # well-formed


def test_a_grid_chart_draws_a_disc_per_non_zero_count_and_its_table_holds_every_cell():
    chart = grid_chart(chart_id="g", title="Projets", description="Par quartier.", rows=["Villette", "Combat"],
                       columns=["À l'étude", "Lancé"], values={("Villette", "Lancé"): 4, ("Combat", "À l'étude"): 1},
                       corner="Quartier")
    svg = _parse(chart)
    discs = list(svg.iter(f"{SVG}circle"))
    assert len(discs) == 2
    assert max(float(d.get("r")) for d in discs) > min(float(d.get("r")) for d in discs)
    assert chart.table.corner == "Quartier" and chart.table.columns == ["À l'étude", "Lancé"]
    assert chart.table.rows == [("Villette", [0, 4]), ("Combat", [1, 0])]


def test_long_labels_fold_on_two_lines_and_are_shortened():
    assert lines("Justificatifs de domicile refusés pour les démarches", 36) == [
        "Justificatifs de domicile refusés", "pour les démarches"]
    folded = lines("Horaires d'ouverture de la mairie incompatibles avec le travail du soir", 20)
    assert len(folded) == 2 and folded[1].endswith("…") and all(len(line) <= 20 for line in folded)
