// `npx tsx tests/tools/eval-cloud.ts [--data DIR] [--json] [--no-loo]` (wired to `npm run eval:cloud`):
// the flight cloud screener over the labelled tiles; see host/commands/eval-cloud.ts.
import { evalCloudCommand } from "../../host/commands/eval-cloud.ts";

process.exitCode = await evalCloudCommand(process.argv.slice(2));
