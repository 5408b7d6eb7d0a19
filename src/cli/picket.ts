/** `picket-puid picket …`: the Picket commands, each one facade call. */
import { Picket, type AccessTokenPayload, type AuthorizationRequirements, type ChainInfo, type TokenOwnershipResponse } from "../picket/index.js";
import { UsageError, type OptionName } from "./args.js";
import type { Command, Group, Input } from "./command.js";
import { fields, pairs, result, table, yesNo } from "./output.js";
import { stdinText } from "./stdin.js";

const ONLINE: readonly OptionName[] = ["base-url", "allow-insecure-http"];

/** The client the environment and flags describe, or a usage error without a key. */
function client({ env, options }: Input): Picket {
  const secretKey = env.PICKET_SECRET_KEY || undefined;
  if (!secretKey) throw new UsageError("set PICKET_SECRET_KEY to call the Picket API");
  return new Picket(secretKey, { baseURL: options["base-url"] ?? (env.PICKET_BASE_URL || undefined), allowInsecureHttp: options["allow-insecure-http"] });
}

const chains: Command = {
  name: "chains",
  usage: "",
  summary: "the chains Picket supports",
  details: ["Prints a table (slug, chain id, type, name, whether token gating works there);", "with --json, the list."],
  arity: [0, 0],
  options: ONLINE,
  online: true,
  async run(input) {
    await result(input.options, await client(input).chains(), (list: ChainInfo[]) =>
      table(
        ["SLUG", "ID", "TYPE", "NAME", "GATING"],
        list.map((chain) => [
          chain.chainSlug,
          chain.chainId === undefined ? "-" : String(chain.chainId),
          chain.chainType,
          chain.chainName,
          yesNo(chain.authorizationSupported),
        ]),
      ),
    );
  },
};

const chain: Command = {
  name: "chain",
  usage: "<slug>",
  summary: "one chain's details (e.g. ethereum, polygon, solana)",
  arity: [1, 1],
  options: ONLINE,
  online: true,
  async run(input) {
    await result(input.options, await client(input).chainInfo(input.args[0]!), (info) => pairs(fields(info)));
  },
};

const nonce: Command = {
  name: "nonce",
  usage: "<wallet>",
  summary: "the nonce a wallet signs to log in (valid two minutes)",
  details: ["Prints the nonce, the project's statement and its message format."],
  arity: [1, 1],
  options: [...ONLINE, "chain", "locale"],
  online: true,
  async run(input) {
    const { chain, locale } = input.options;
    await result(input.options, await client(input).nonce({ walletAddress: input.args[0]!, chain, ...(locale === undefined ? {} : { locale }) }), (answer) =>
      pairs(fields(answer)),
    );
  },
};

const validate: Command = {
  name: "validate",
  usage: "<token>",
  summary: "check an access token and print its claims",
  details: [
    "Prints the claims (iat and exp also as UTC times); with --json, the claims object.",
    "Pass - to read the token from stdin, which keeps it out of the process list.",
  ],
  arity: [1, 1],
  options: ONLINE,
  online: true,
  async run(input) {
    const token = input.args[0] === "-" ? (await stdinText()).trim() : input.args[0]!;
    if (!token) throw new UsageError("no token on stdin");
    await result(input.options, await client(input).validate(token), (claims: AccessTokenPayload) =>
      pairs(
        fields(claims).map(([key, value]) => [
          key,
          (key === "iat" || key === "exp") && /^[0-9]+$/.test(value) ? `${value} (${new Date(Number(value) * 1000).toISOString()})` : value,
        ]),
      ),
    );
  },
};

const owns: Command = {
  name: "owns",
  usage: "<wallet>",
  summary: "whether a wallet meets token requirements (no login)",
  details: [
    "Give at least one requirement: --contract (EVM), --token-id, --collection, --creator",
    "(Solana), --allowed; --min qualifies a balance. The wallet passes if it meets any.",
    "Prints allowed yes/no and the balances found; exits 0 either way.",
  ],
  arity: [1, 1],
  options: [...ONLINE, "chain", "contract", "min", "token-id", "collection", "creator", "allowed"],
  online: true,
  async run(input) {
    const requirements = requirementsOf(input);
    const answer = await client(input).tokenOwnership({ walletAddress: input.args[0]!, chain: input.options.chain, ...requirements });
    await result(input.options, answer, ({ allowed, tokenBalances = {}, ...rest }: TokenOwnershipResponse) => {
      // One row a balance found, `<kind> <id>`, rather than a dotted path three levels deep.
      const balances = Object.entries(tokenBalances).flatMap(([kind, found]) =>
        Object.entries(found ?? {}).map(([id, balance]): [string, string] => [`${kind} ${id}`, String(balance)]),
      );
      return pairs([["allowed", yesNo(allowed)], ...balances, ...(Object.keys(rest).length > 0 ? fields(rest) : [])]);
    });
  },
};

/** The requirement fields the flags give, as the API names them. */
function requirementsOf({ options }: Input): AuthorizationRequirements {
  const requirements: AuthorizationRequirements = {};
  if (options.contract !== undefined) requirements.contractAddress = options.contract;
  if (options["token-id"] !== undefined) requirements.tokenIds = options["token-id"];
  // One collection goes as a string, as every client sends it; several as a list (accepted since 2023).
  if (options.collection !== undefined) requirements.collection = options.collection.length === 1 ? options.collection[0]! : options.collection;
  if (options.creator !== undefined) requirements.creatorAddress = options.creator;
  if (options.allowed !== undefined) requirements.allowedWallets = options.allowed;
  if (Object.keys(requirements).length === 0) throw new UsageError("owns needs at least one of --contract, --token-id, --collection, --creator, --allowed");
  if (options.min !== undefined) {
    if (!/^[0-9]+(\.[0-9]+)?$/.test(options.min)) throw new UsageError("--min must be a decimal number such as 1 or 0.5");
    requirements.minTokenBalance = options.min;
  }
  return requirements;
}

export const picketGroup: Group = {
  name: "picket",
  summary: "chains, nonces, access tokens and token gating (Picket)",
  environment: [
    ["PICKET_SECRET_KEY", "the project's secret key (sk_…)"],
    ["PICKET_BASE_URL", "the API base URL (default https://picketapi.com/api/v1); --base-url overrides it"],
  ],
  commands: [chains, chain, nonce, validate, owns],
};
