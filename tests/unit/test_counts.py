"""The count line above the console's filtered lists."""

from heurecivique_app.presenters.counts import count_line


def test_the_count_says_when_the_list_on_screen_is_cut() -> None:
    assert count_line("{count} mission(s) found", 12, 12, "en") == "12 mission(s) found"
    assert count_line("{count} mission(s) found", 250, 200, "en") == (
        "250 mission(s) found. Only the first 200 are listed: narrow the search.")
    assert count_line("{count} mission(s) found", 250, 200, "fr").endswith(
        "Seuls les 200 premiers sont affichés : affinez la recherche.")
