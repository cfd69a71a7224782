# UI strings of the network theme, English.

# Open Graph locale of pages in this language: the locale dates are written in too (`en` is
# CLDR's en-US: "January 27, 2025").
og-locale = en_US

skip-to-content = Skip to content
nav-label = Main
nav-home = Home
nav-news = News
nav-partners = Partners
nav-topics = Topics
nav-about = About
nav-search = Search
languages-label = Languages
not-translated = This page is not translated into English yet
footer-about = { $site } shares news from cooperatives, NGOs and expert institutions in { $count ->
    [one] one language
   *[other] { $count } languages
}.
footer-nav-label = Browse

taxonomy-topics = Topics
taxonomy-partners = Partners
taxonomy-countries = Countries
term-title = Articles about { $term }

latest-news = Latest news
all-news = All news
all-articles = All articles
no-articles = No articles yet.
our-partners = Our partners
article-count = { $count ->
    [one] { $count } article
   *[other] { $count } articles
}

reading-time = { $minutes ->
    [one] { $minutes } min read
   *[other] { $minutes } min read
}
updated-on = Updated
toc-title = Contents
source = Source:
share-label = Share
share-email = Email
opens-new-window = (opens in a new window)

pagination-label = Pages
pagination-previous = Newer
pagination-next = Older
pagination-position = Page { $current } of { $total }

partner-website = Visit the partner's website
partner-news = News about { $partner }

search-label = Words to search for
search-placeholder = Search the articles
search-needs-js = Search needs JavaScript. You can also browse the news by topic, partner or country.

not-found-title = Page not found
not-found-text = The page you are looking for has moved or never existed.
not-found-home = Go to the home page

# Articles shown in a language they are not translated into.
in-language = { $code ->
    [en] in English
    [hi] in Hindi
    [az] in Azerbaijani
    [ar] in Arabic
    [fr] in French
    [es] in Spanish
   *[other] in another language
}
full-text-in = The full text is only available { in-language }.
read-original = Read the original
other-versions = Also available in:
switcher-not-translated = not translated: shows the original

# A translation made from an older version of its original.
original-updated-on = The original was updated on { $date }, after this translation was made.
original-updated = The original was updated after this translation was made.
read-updated-original = Read the updated original

# The search box (Pagefind UI); [SEARCH_TERM] and [COUNT] are filled in by it.
search-ui-clear = Clear
search-ui-load-more = Load more results
search-ui-zero-results = No results for [SEARCH_TERM]
search-ui-one-result = [COUNT] result for [SEARCH_TERM]
search-ui-many-results = [COUNT] results for [SEARCH_TERM]
search-ui-searching = Searching for [SEARCH_TERM]…
search-ui-results-label = Search results
