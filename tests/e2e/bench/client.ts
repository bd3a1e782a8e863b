import type { Page } from '@playwright/test';

// What the side-by-side benchmark (compare.bench.ts, `make bench`) asks of each client: the
// same steps, driven through each client's own interface. A step a client cannot do yet is left
// undefined and shown as "not implemented", never as zero.

/** The data set both clients see, on the same server (the bench Prosody). */
export type DataSet = {
  /** The account that signs in: its roster holds `contacts` contacts. */
  jid: string;
  password: string;
  contacts: number;
  /** The MUC service and how many public rooms it lists. */
  mucService: string;
  rooms: number;
  /** A room with `occupants` other occupants in it, and recent history. */
  bigRoom: string;
  occupants: number;
  /** A contact of `jid` with `archived` messages between the two in `jid`'s archive (MAM). */
  historyPeer: string;
  archived: number;
  /** The text of the first (oldest) archived message: loading is complete when it shows. */
  firstArchived: string;
  /** The text of the latest archived message. */
  lastArchived: string;
};

export type BenchClient = {
  name: string;
  /** Where the client's page is served (https on 127.0.0.1). */
  url: string;
  /** (a) The login form's address field (a CSS selector): from navigation until it is shown
   * and enabled, seen by the page itself at each frame (measure.ts), the same for both clients. */
  loginField: string;
  /** (b) Fill the form, sign in, and resolve once all `contacts` are rendered (the full count). */
  loginToRoster(page: Page, data: DataSet): Promise<void>;
  /** (c) Open the room list and resolve once it shows all `rooms` rooms. */
  roomList?(page: Page, data: DataSet): Promise<void>;
  /** (d) Join `bigRoom` and resolve once its occupants (`occupants` + self) and recent history show. */
  joinRoom?(page: Page, data: DataSet): Promise<void>;
  /** (e) Open the chat with `historyPeer` and load all `archived` messages, back to `firstArchived`. */
  loadHistory?(page: Page, data: DataSet): Promise<void>;
};
