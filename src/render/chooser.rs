//! Pages written without templates: the language chooser at `/index.html` (when every
//! language has a subfolder) and a bare 404 page for sites whose templates have none.

use super::RenderInput;
use crate::escape;

/// `/index.html` when every language lives in a subfolder: sends the visitor to the first of
/// their browser's languages the site has, and lists every language for readers without JS.
pub fn language_chooser(input: &RenderInput) -> String {
    let config = &input.site.config;
    let mut links = String::new();
    let mut table = Vec::new();
    for l in &config.languages {
        let url = config.language_root(&l.code);
        links.push_str(&format!(
            "<li><a href=\"{url}\" hreflang=\"{code}\" lang=\"{code}\" dir=\"{dir}\">{name}</a></li>\n",
            code = l.code,
            dir = input.directions.of(&l.code).as_str(),
            name = escape::html(&l.name),
        ));
        table.push(format!("{:?}:{:?}", l.code, url));
    }
    let default_url = config.language_root(&config.default_language);
    let mut alternates = String::new();
    for l in &config.languages {
        alternates.push_str(&format!(
            "<link rel=\"alternate\" hreflang=\"{}\" href=\"{}\">\n",
            l.code,
            config.absolute(&config.language_root(&l.code))
        ));
    }
    alternates.push_str(&format!(
        "<link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\">\n",
        config.absolute(&config.base_path())
    ));
    format!(
        r#"<!doctype html>
<html lang="{default}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{alternates}<script>
(function () {{
  var sites = {{{table}}};
  var wanted = (navigator.languages || [navigator.language || ""]);
  for (var i = 0; i < wanted.length; i++) {{
    var code = String(wanted[i]).toLowerCase();
    var base = code.split("-")[0];
    if (sites[code]) {{ location.replace(sites[code]); return; }}
    if (sites[base]) {{ location.replace(sites[base]); return; }}
  }}
  location.replace("{default_url}");
}})();
</script>
</head>
<body>
<main>
<ul>
{links}</ul>
</main>
</body>
</html>
"#,
        default = config.default_language,
        title = escape::html(&config.title),
        table = table.join(","),
    )
}

pub fn fallback_404(lang: &str, dir: &str) -> String {
    format!(
        "<!doctype html><html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\"><title>404</title></head><body><h1>404</h1></body></html>\n"
    )
}
