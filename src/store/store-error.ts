import { UserError } from '../domain/user-error.js';

/** A problem with the store that the user must act on; its message says what to do. */
export class StoreError extends UserError {}
