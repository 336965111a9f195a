// tests/support/run-handler.mjs for the rehearsal, with one addition: the function's clock can
// run ahead of the machine's (REHEARSAL_CLOCK_OFFSET_MS, removed before the bundle loads), so
// that when the rehearsal lets a queue's visibility timeout pass, the functions see that time
// passed too (leases, claims and ages they keep in DynamoDB compare against it).
//
//   node run-bundle.mjs <bundle file> <export name> < event.json
const offset = Number(process.env.REHEARSAL_CLOCK_OFFSET_MS ?? 0);
delete process.env.REHEARSAL_CLOCK_OFFSET_MS;
if (offset) {
  const RealDate = Date;
  const realNow = RealDate.now.bind(RealDate);
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(realNow() + offset);
      else super(...args);
    }
    static now() {
      return realNow() + offset;
    }
  }
  globalThis.Date = ShiftedDate;
}
await import('../support/run-handler.mjs');
