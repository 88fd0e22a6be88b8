// Search-result snippets from the article only (site/conf.py says why): Sphinx's searchtools summarises a hit from
// the page's [role=main] element, which in sphinx-book-theme also holds the header bar and its buttons.
(function () {
  function articleOnly() {
    if (typeof Search === "undefined" || Search.htmlToTextFromArticle) return;
    const original = Search.htmlToText;
    Search.htmlToText = (htmlString, anchor) => {
      const page = new DOMParser().parseFromString(htmlString, "text/html");
      const main = page.querySelector('[role="main"]');
      const article = page.querySelector("article.bd-article");
      if (main && article && main !== article) main.replaceChildren(article);
      return original(page.documentElement.outerHTML, anchor);
    };
    Search.htmlToTextFromArticle = true;
  }
  articleOnly();
  document.addEventListener("DOMContentLoaded", articleOnly);
})();
