// Command line for runBacalhauJob, shaped like `bacalhau wasm run`:
//   node --import tsx host/bacalhau/cli.ts [options] MODULE.wasm [PARAMETERS...]
// It prints the job's stdout and stderr and exits with the module's exit code.
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { rejectedDomainReason } from "./go-net.ts";
import { type BacalhauJobInput, type BacalhauJobOptions, runBacalhauJob } from "./run-job.ts";

const USAGE =
  "usage: cli.ts [--network none|http|full] [--domain HOST]... [-e KEY=VALUE]... [-i SRC:TARGET]... " +
  "[-o DIR] [--request-timeout MS] [--too-large truncate|error] [--timeout MS] MODULE.wasm [PARAMETERS...]";

const HELP = `${USAGE}

Runs a WASI preview1 module the way Bacalhau's WASM executor does.

  --network MODE         none (default), http (only --domain hosts) or full
  --domain HOST          allowed host for --network http; *.example.com and * match many
  -e, --env KEY=VALUE    environment variable for the module
  -i, --input SRC:TARGET copy the local file or directory SRC to TARGET in the job's filesystem;
                         also accepts src=SRC,dst=TARGET and a file:// prefix
  -o, --output-dir DIR   copy the job's /outputs to DIR after the run
  --request-timeout MS   timeout of one HTTP request in milliseconds (default 30000)
  --too-large MODE       response larger than the module's buffer: truncate (default) or error (result 5)
  --timeout MS           stop the job after MS milliseconds
  -h, --help             print this help
`;

export class UsageError extends Error {}

function parseInput(text: string): BacalhauJobInput {
  let source: string | undefined;
  let target: string | undefined;
  if (text.startsWith("src=")) {
    for (const part of text.split(",")) {
      const [key, ...rest] = part.split("=");
      if (key === "src") source = rest.join("=");
      else if (key === "dst") target = rest.join("=");
    }
  } else {
    const separator = text.lastIndexOf(":/");
    if (separator > 0) {
      source = text.slice(0, separator);
      target = text.slice(separator + 1);
    }
  }
  source = source?.replace(/^file:\/\//, "");
  if (!source || !target?.startsWith("/")) {
    throw new UsageError(`invalid input "${text}": expected SRC:/TARGET or src=SRC,dst=/TARGET`);
  }
  return { source, target };
}

function parseMilliseconds(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`invalid ${flag} "${text}": expected a positive number of milliseconds`);
  return value;
}

/** Parses the command line into job options, or throws UsageError; returns undefined for --help. */
export function parseArguments(argv: readonly string[]): BacalhauJobOptions | undefined {
  const options: BacalhauJobOptions & { env: Record<string, string>; inputs: BacalhauJobInput[]; domains: string[] } = {
    module: "",
    env: {},
    inputs: [],
    domains: [],
  };
  let index = 0;
  const value = (flag: string, inline: string | undefined): string => {
    if (inline !== undefined) return inline;
    if (index + 1 >= argv.length) throw new UsageError(`missing value for ${flag}`);
    return argv[++index];
  };

  for (; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === "--") {
      index++;
      break;
    }
    if (!argument.startsWith("-") || argument === "-") break;
    const equals = argument.startsWith("--") ? argument.indexOf("=") : -1;
    const flag = equals > 0 ? argument.slice(0, equals) : argument;
    const inline = equals > 0 ? argument.slice(equals + 1) : undefined;
    switch (flag) {
      case "-h":
      case "--help":
        return undefined;
      case "--network": {
        const network = value(flag, inline);
        if (network !== "none" && network !== "http" && network !== "full") {
          throw new UsageError(`invalid --network "${network}": expected none, http or full`);
        }
        options.network = network;
        break;
      }
      case "--domain":
        options.domains.push(value(flag, inline));
        break;
      case "-e":
      case "--env": {
        const pair = value(flag, inline);
        const separator = pair.indexOf("=");
        if (separator <= 0) throw new UsageError(`invalid ${flag} "${pair}": expected KEY=VALUE`);
        options.env[pair.slice(0, separator)] = pair.slice(separator + 1);
        break;
      }
      case "-i":
      case "--input":
        options.inputs.push(parseInput(value(flag, inline)));
        break;
      case "-o":
      case "--output-dir":
        options.outputDir = value(flag, inline);
        break;
      case "--request-timeout":
        options.requestTimeoutMs = parseMilliseconds(flag, value(flag, inline));
        break;
      case "--timeout":
        options.timeoutMs = parseMilliseconds(flag, value(flag, inline));
        break;
      case "--too-large": {
        const mode = value(flag, inline);
        if (mode !== "truncate" && mode !== "error") throw new UsageError(`invalid --too-large "${mode}": expected truncate or error`);
        options.tooLarge = mode;
        break;
      }
      default:
        throw new UsageError(`unknown option ${argument}`);
    }
  }

  if (index >= argv.length) throw new UsageError("missing MODULE.wasm");
  options.module = argv[index];
  options.parameters = argv.slice(index + 1);
  return options;
}

async function main(argv: readonly string[]): Promise<number> {
  let options: BacalhauJobOptions | undefined;
  try {
    options = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bacalhau: ${error.message} (run with --help for usage)\n`);
    return 2;
  }
  if (!options) {
    process.stdout.write(HELP);
    return 0;
  }
  for (const domain of options.domains ?? []) {
    const reason = rejectedDomainReason(domain.toLowerCase().trim());
    if (reason) process.stderr.write(`bacalhau: warning: Bacalhau would reject this job: ${reason}\n`);
  }

  const result = await runBacalhauJob(options);
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  if (result.startError) process.stderr.write(`bacalhau: the module could not start: ${result.startError}\n`);
  return result.exitCode;
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  // `npm run bacalhau` runs in the package's folder; relative MODULE and -i paths are meant
  // from the folder npm was started in, which npm keeps in INIT_CWD.
  if (process.env.INIT_CWD !== undefined) process.chdir(process.env.INIT_CWD);
  // Exit codes above 255 and -1 reach the shell modulo 256, as with any process.
  process.exitCode = await main(process.argv.slice(2));
}
