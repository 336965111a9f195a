import type { Article, Author } from '../article.js';
import type { SiteConfig } from '../site.js';
import { renderDocument } from './document.js';
import { formatDate } from './format-date.js';
import type { OpenGraph } from './parts.js';
import { Layout } from './layout.js';
import { TagList } from './parts.js';
import { articleUrl, homeUrl } from '../urls.js';

function openGraph(site: SiteConfig, article: Article, canonical: string): OpenGraph {
  const og: OpenGraph = [
    ['og:type', 'article'],
    ['og:site_name', site.title],
    ['og:title', article.title],
    ['og:description', article.summary],
    ['og:url', canonical],
  ];
  if (article.image) og.push(['og:image', article.image.url], ['og:image:alt', article.image.alt]);
  og.push(['article:published_time', article.published], ['article:modified_time', article.updated]);
  for (const tag of article.tags) og.push(['article:tag', tag]);
  return og;
}

function AuthorName({ author }: { author: Author }) {
  return author.url ? (
    <a href={author.url} rel="author">
      {author.name}
    </a>
  ) : (
    <>{author.name}</>
  );
}

function Authors({ authors }: { authors: Author[] }) {
  if (authors.length === 0) return null;
  return (
    <>
      {' · by '}
      {authors.map((author, i) => (
        <>
          {i > 0 && (i === authors.length - 1 ? ' and ' : ', ')}
          <AuthorName author={author} />
        </>
      ))}
    </>
  );
}

export function renderArticlePage(site: SiteConfig, article: Article): string {
  const canonical = article.canonicalUrl ?? articleUrl(site, article.slug);
  const published = formatDate(article.published, site.language);
  const updated = formatDate(article.updated, site.language);
  return renderDocument(
    <Layout
      site={site}
      title={article.title}
      description={article.summary}
      canonical={canonical}
      openGraph={openGraph(site, article, canonical)}
      tags={article.tags}
    >
      <article>
        <h1>{article.title}</h1>
        <p class="meta">
          <time datetime={article.published}>{published}</time>
          {updated !== published && (
            <>
              {' · updated '}
              <time datetime={article.updated}>{updated}</time>
            </>
          )}
          <Authors authors={article.authors} />
        </p>
        {article.tags.length > 0 && <TagList site={site} tags={article.tags} label="Tags" />}
        {article.image && (
          <figure>
            <img src={article.image.url} alt={article.image.alt} />
          </figure>
        )}
        {/* Raw on purpose: article.html was sanitized once at ingest (no script, on*, javascript: ...),
            so escaping it here would show markup as text. Nothing unsanitized may reach this prop. */}
        <div class="content" dangerouslySetInnerHTML={{ __html: article.html }} />
      </article>
      <p>
        <a href={homeUrl(site)}>← All articles</a>
      </p>
    </Layout>,
  );
}
