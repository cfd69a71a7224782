# UI strings of the network theme, French.

# Open Graph locale of pages in this language.
og-locale = fr_FR

skip-to-content = Aller au contenu
nav-label = Principal
nav-home = Accueil
nav-news = Actualités
nav-partners = Partenaires
nav-topics = Thèmes
nav-about = À propos
nav-search = Recherche
languages-label = Langues
not-translated = Cette page n’est pas encore traduite en français
footer-about = { $site } partage les actualités de coopératives, d’ONG et d’institutions d’expertise en { $count ->
    [one] une langue
   *[other] { $count } langues
}.
footer-nav-label = Parcourir

taxonomy-topics = Thèmes
taxonomy-partners = Partenaires
taxonomy-countries = Pays
term-title = Articles sur { $term }

latest-news = Dernières actualités
all-news = Toutes les actualités
all-articles = Tous les articles
no-articles = Aucun article pour l’instant.
our-partners = Nos partenaires
article-count = { $count ->
    [one] { $count } article
   *[other] { $count } articles
}

reading-time = { $minutes ->
    [one] { $minutes } min de lecture
   *[other] { $minutes } min de lecture
}
updated-on = Mis à jour le
toc-title = Sommaire
source = Source :
share-label = Partager
share-email = E-mail
opens-new-window = (s’ouvre dans une nouvelle fenêtre)

pagination-label = Pages
pagination-previous = Plus récents
pagination-next = Plus anciens
pagination-position = Page { $current } sur { $total }

partner-website = Site web du partenaire
partner-news = Actualités sur { $partner }

search-label = Mots à rechercher
search-placeholder = Rechercher dans les articles
search-needs-js = La recherche nécessite JavaScript. Vous pouvez aussi parcourir les actualités par thème, partenaire ou pays.

not-found-title = Page introuvable
not-found-text = La page que vous cherchez a été déplacée ou n’a jamais existé.
not-found-home = Aller à l’accueil

# Articles shown in a language they are not translated into.
in-language = { $code ->
    [en] en anglais
    [hi] en hindi
    [az] en azerbaïdjanais
    [ar] en arabe
    [fr] en français
    [es] en espagnol
   *[other] dans une autre langue
}
full-text-in = Le texte intégral n’est disponible qu’{ in-language }.
read-original = Lire l’original
other-versions = Également disponible :
switcher-not-translated = non traduit : affiche l’original

# A translation made from an older version of its original.
original-updated-on = L’original a été mis à jour le { $date }, après cette traduction.
original-updated = L’original a été mis à jour après cette traduction.
read-updated-original = Lire l’original mis à jour

# The search box (Pagefind UI); [SEARCH_TERM] and [COUNT] are filled in by it.
search-ui-clear = Effacer
search-ui-load-more = Plus de résultats
search-ui-zero-results = Aucun résultat pour [SEARCH_TERM]
search-ui-one-result = [COUNT] résultat pour [SEARCH_TERM]
search-ui-many-results = [COUNT] résultats pour [SEARCH_TERM]
search-ui-searching = Recherche de [SEARCH_TERM]…
search-ui-results-label = Résultats de la recherche
