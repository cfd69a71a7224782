site-title = Ortaklık Ağı
