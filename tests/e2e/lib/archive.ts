import { expect } from '@playwright/test';
import { unique } from './app';
import { HostilePeer } from './hostile';
import { parseRoster, registerAccount } from './xmpp';

// A conversation with a long past, for the history tests and benchmarks: two fresh accounts
// that are each other's contacts, and numbered messages between them in the reader's archive.

export type Account = { user: string; password: string; jid: string };

export async function freshAccount(label: string): Promise<Account> {
  const user = unique(label).replace(/\W/g, '');
  const password = `${label}-pw`;
  await registerAccount(user, password);
  return { user, password, jid: `${user}@localhost` };
}

/** RFC 6121 §3: subscribed both ways. */
export async function makeContacts(a: HostilePeer, b: HostilePeer): Promise<void> {
  a.socket.send(`<presence xmlns="jabber:client" to="${b.bare}" type="subscribe"/>`);
  await b.socket.next(/type=["']subscribe["']/, 10_000);
  b.socket.send(`<presence xmlns="jabber:client" to="${a.bare}" type="subscribed"/>`);
  b.socket.send(`<presence xmlns="jabber:client" to="${a.bare}" type="subscribe"/>`);
  await a.socket.next(/type=["']subscribe["']/, 10_000);
  a.socket.send(`<presence xmlns="jabber:client" to="${b.bare}" type="subscribed"/>`);
  for (const [peer, other] of [
    [a, b],
    [b, a],
  ]) {
    await expect
      .poll(async () => {
        const reply = await peer.socket.iq('r1', `<iq xmlns="jabber:client" type="get" id="r1"><query xmlns="jabber:iq:roster"/></iq>`);
        return parseRoster(reply).find((item) => item.jid === other.bare)?.subscription;
      })
      .toBe('both');
  }
}

/** `total` messages numbered from 1 ("<marker> <n>"): the first `own` from the reader (another
 * device of hers), the rest from the writer. Sent while the reader's other device is online,
 * so they all land in her archive, in order. */
export async function seedHistory(
  total: number,
  own: number,
): Promise<{ reader: Account; writer: Account; marker: string }> {
  const reader = await freshAccount('reader');
  const writer = await freshAccount('writer');
  const elsewhere = await HostilePeer.login(reader.user, reader.password);
  const contact = await HostilePeer.login(writer.user, writer.password);
  const marker = unique('old');
  try {
    await makeContacts(elsewhere, contact);
    for (let i = 1; i <= total; i += 1) {
      const [from, to] = i <= own ? [elsewhere, contact] : [contact, elsewhere];
      from.chat(to.bare, `${marker} ${i}`);
      // Across two connections the server's order is the order of arrival: the reader's
      // arrive before the writer starts.
      if (i === own) await contact.socket.next(new RegExp(`${marker} ${own}<`), 10_000);
    }
    await elsewhere.socket.next(new RegExp(`${marker} ${total}<`), 120_000);
  } finally {
    elsewhere.close();
    contact.close();
  }
  return { reader, writer, marker };
}
