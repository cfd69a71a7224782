# Chaînes des shortcodes intégrés de tessera, français.
figure-credit = Image : { $credit }
video-notice = Cette vidéo est hébergée par { $host }. La lire la charge depuis { $host }, qui peut déposer des cookies et enregistrer votre visite.
video-play = Lire la vidéo
video-watch-on = Voir sur { $host }
document-meta = { $type }, { NUMBER($size, maximumFractionDigits: 1) } { $unit ->
        [MB] Mo
       *[kB] ko
    }
