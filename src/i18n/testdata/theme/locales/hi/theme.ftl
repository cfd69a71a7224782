read-more = और पढ़ें
footer-note = tessera से बना
