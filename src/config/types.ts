// What the file says about reaching the account. The sections it manages are the resource kinds' own
// (src/resources/<kind>/section.ts).

export interface Credentials {
  app_id: string;
  app_secret?: string;
  /** A string runs with /bin/sh -c; a list runs as argv. */
  token_command?: string | string[];
}
