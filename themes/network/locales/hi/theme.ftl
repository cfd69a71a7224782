# UI strings of the network theme, Hindi.

og-locale = hi_IN

skip-to-content = सामग्री पर जाएँ
nav-label = मुख्य
nav-home = मुखपृष्ठ
nav-news = समाचार
nav-partners = साझेदार
nav-topics = विषय
nav-about = परिचय
nav-search = खोजें
languages-label = भाषाएँ
not-translated = यह पृष्ठ अभी हिन्दी में अनूदित नहीं है
footer-about = { $site } { $count } भाषाओं में सहकारी संस्थाओं, गैर-सरकारी संगठनों और विशेषज्ञ संस्थानों के समाचार साझा करता है।
footer-nav-label = ब्राउज़ करें

taxonomy-topics = विषय
taxonomy-partners = साझेदार
taxonomy-countries = देश
term-title = { $term } से जुड़े लेख

latest-news = ताज़ा समाचार
all-news = सभी समाचार
all-articles = सभी लेख
no-articles = अभी कोई लेख नहीं है।
our-partners = हमारे साझेदार
article-count = { $count ->
    [one] { $count } लेख
   *[other] { $count } लेख
}

reading-time = { $minutes ->
    [one] पढ़ने में { $minutes } मिनट
   *[other] पढ़ने में { $minutes } मिनट
}
updated-on = अद्यतन
toc-title = विषय-सूची
source = स्रोत:
share-label = साझा करें
share-email = ईमेल
opens-new-window = (नई विंडो में खुलता है)

pagination-label = पृष्ठ
pagination-previous = नए
pagination-next = पुराने
pagination-position = पृष्ठ { $current } / { $total }

partner-website = साझेदार की वेबसाइट देखें
partner-news = { $partner } से जुड़े समाचार

search-label = खोजने के लिए शब्द
search-placeholder = लेखों में खोजें
search-needs-js = खोज के लिए JavaScript चाहिए। आप विषय, साझेदार या देश के अनुसार भी समाचार देख सकते हैं।

not-found-title = पृष्ठ नहीं मिला
not-found-text = आप जिस पृष्ठ को खोज रहे हैं वह हटा दिया गया है या कभी था ही नहीं।
not-found-home = मुखपृष्ठ पर जाएँ

# Articles shown in a language they are not translated into.
in-language = { $code ->
    [en] अंग्रेज़ी में
    [hi] हिन्दी में
    [az] अज़रबैजानी में
    [ar] अरबी में
    [fr] फ़्रांसीसी में
    [es] स्पेनिश में
   *[other] अन्य भाषा में
}
full-text-in = पूरा लेख केवल { in-language } उपलब्ध है।
read-original = मूल लेख पढ़ें
other-versions = इन भाषाओं में भी उपलब्ध:
switcher-not-translated = अनूदित नहीं: मूल लेख दिखता है

# A translation made from an older version of its original.
original-updated-on = यह अनुवाद बनने के बाद मूल लेख { $date } को अद्यतन किया गया।
original-updated = यह अनुवाद बनने के बाद मूल लेख अद्यतन किया गया।
read-updated-original = अद्यतन मूल लेख पढ़ें

# The search box (Pagefind UI); [SEARCH_TERM] and [COUNT] are filled in by it.
search-ui-clear = साफ़ करें
search-ui-load-more = और परिणाम दिखाएँ
search-ui-zero-results = [SEARCH_TERM] के लिए कोई परिणाम नहीं
search-ui-one-result = [SEARCH_TERM] के लिए [COUNT] परिणाम
search-ui-many-results = [SEARCH_TERM] के लिए [COUNT] परिणाम
search-ui-searching = [SEARCH_TERM] खोजा जा रहा है…
search-ui-results-label = खोज परिणाम
