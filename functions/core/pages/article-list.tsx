import type { Article } from '../article.js';
import type { SiteConfig } from '../site.js';
import { formatDate } from './format-date.js';
import { newestFirst } from './order.js';
import { articleUrl } from '../urls.js';

export function ArticleList({ site, articles }: { site: SiteConfig; articles: Article[] }) {
  if (articles.length === 0) return <p class="muted">No articles yet.</p>;
  return (
    <ul class="entries">
      {newestFirst(articles).map((article) => (
        <li>
          <h2>
            <a href={articleUrl(site, article.slug)}>{article.title}</a>
          </h2>
          <p class="meta">
            <time datetime={article.published}>{formatDate(article.published, site.language)}</time>
          </p>
          <p>{article.summary}</p>
        </li>
      ))}
    </ul>
  );
}
