read-more = Read more
footer-note = Built with tessera
theme-only = From the theme
posted-on = Posted on { $date }
