/** A mistake on the command line or a missing input: the command prints the message as it is and exits with 1. */
export class UserError extends Error {}
