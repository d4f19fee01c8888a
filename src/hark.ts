/** The program's entry point: bin/hark.js runs the build of this file, tests and background runs its source. */
import { main } from './cli.js';

await main();
