"""The pagination shows the first and last pages, two either side of the current one, and an ellipsis between,
without looping over every page (a list of 100,000 cases has 4,000 pages)."""

from django.core.paginator import Paginator
from django.template import Context, Template

from govuk.templatetags.govuk import page_numbers


def test_a_page_deep_in_a_long_list_shows_a_dozen_numbers():
    page = Paginator(range(100_000), 25).page(2000)
    assert page_numbers(page) == [1, None, 1998, 1999, 2000, 2001, 2002, None, 4000]


def test_the_first_pages_need_no_ellipsis_before_them():
    assert page_numbers(Paginator(range(100), 10).page(2)) == [1, 2, 3, 4, None, 10]
    assert page_numbers(Paginator(range(30), 10).page(3)) == [1, 2, 3]


def test_the_pagination_include_marks_the_current_page_and_the_gaps():
    page = Paginator(range(100_000), 25).page(2000)
    html = Template('{% include "rjcases/includes/pagination.html" %}').render(
        Context({"page": page, "query_string": "state=referral"})
    )
    assert 'href="?state=referral&amp;page=2000" aria-label="Page 2000" aria-current="page"' in html
    assert html.count("govuk-pagination__item--ellipsis") == 2
    assert html.count('aria-label="Page ') == 7
    assert 'aria-label="Page 4000"' in html
    assert 'aria-label="Page 1997"' not in html
