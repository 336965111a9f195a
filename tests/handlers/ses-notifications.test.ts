import { describe, expect, it } from 'vitest';
import { sesNotifications } from '../../functions/handlers/ses-notifications.js';

describe('the SES events function’s SNS loop', () => {
  it('hands every notification to the root and adds up what it suppressed', async () => {
    const seen: string[] = [];
    const handler = sesNotifications({
      suppressFrom: async (notification) => {
        seen.push(notification);
        return notification === 'two' ? 2 : 0;
      },
    });
    const event = { Records: ['one', 'two'].map((Message, i) => ({ Sns: { MessageId: `m${i}`, Message } })) };
    expect(await handler(event)).toEqual({ suppressed: 2 });
    expect(seen).toEqual(['one', 'two']);
  });

  it('throws when a notification fails, so SNS delivers it again', async () => {
    const handler = sesNotifications({ suppressFrom: () => Promise.reject(new Error('the table is down')) });
    await expect(handler({ Records: [{ Sns: { MessageId: 'm', Message: '{}' } }] })).rejects.toThrow('the table is down');
  });
});
