"""The page links of the paginated missions list (presenters.lists)."""

from __future__ import annotations

from heurecivique_app.presenters.lists import page_href, page_links

PATH = "/console/missions"


def _numbers(links) -> list[str]:
    return [link["number"] or "…" for link in links]


def test_a_few_pages_are_all_linked_and_the_current_one_is_marked():
    links = page_links(PATH, {}, 2, 3)
    assert _numbers(links) == ["1", "2", "3"]
    assert [link["current"] for link in links] == [False, True, False]
    assert links[0]["href"] == PATH  # the first page is the list's own address
    assert links[2]["href"] == f"{PATH}?page=3"


def test_many_pages_keep_the_first_the_last_and_the_neighbours():
    assert _numbers(page_links(PATH, {}, 10, 40)) == ["1", "…", "8", "9", "10", "11", "12",
                                                      "…", "40"]
    assert _numbers(page_links(PATH, {}, 1, 40)) == ["1", "2", "3", "…", "40"]
    assert _numbers(page_links(PATH, {}, 40, 40)) == ["1", "…", "38", "39", "40"]
    assert _numbers(page_links(PATH, {}, 4, 40)) == ["1", "2", "3", "4", "5", "6", "…", "40"]


def test_the_filters_travel_in_every_link():
    query = {"status": "open", "q": "courses du mardi"}
    assert page_href(PATH, query, 2) == f"{PATH}?status=open&q=courses+du+mardi&page=2"
    assert page_href(PATH, query, 1) == f"{PATH}?status=open&q=courses+du+mardi"
    assert all("status=open" in link["href"] for link in page_links(PATH, query, 3, 9)
               if link["number"])
