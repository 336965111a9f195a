/** The site, sender and signing key every bench mails as: one newsroom, so figures compare. */
export const site = {
  baseUrl: 'https://news.example.com/',
  title: 'The Example Times',
  description: 'News',
  language: 'en',
  author: { name: 'The editors' },
  feedItemLimit: 50,
  digestArticleLimit: 20,
  subscribeUrl: '/api/subscribe',
};

export const mail = {
  from: '"The Example Times" <digest@news.example.com>',
  unsubscribeMailto: 'digest@news.example.com',
  listId: '"The Example Times" <digest.news.example.com>',
};

export const tokenSecret = 'bench-token-secret-0123456789abcdefghijklmnop';
