import { HomelabCluster } from '../estate/cluster.js';
import { talosConfig } from '../talos/talconfig.js';
import { IMAGE_FACTORY_URL } from '../talos/versions.js';
import { K3S_TOKEN_FILE, K3sNodeConfig } from './k3s.js';
import { nodeStepsMarkdown, Prerequisites, secretRecipe, secretRecipesIntro } from '../docs/prerequisites.js';
import { AGE_SECRET_KEY, BootstrapPlan, DEFAULT_AGE_KEY_FILE, FLUX_READY_TIMEOUT, sopsSecretCommand } from './plan.js';
import { bootstrapSecrets } from './secrets.js';

/** Everything the runbook is written from. */
export interface RunbookInput {
  readonly cluster: HomelabCluster;
  readonly plan: BootstrapPlan;
  /** Repository-relative folder of the bootstrap files. */
  readonly dir: string;
  readonly k3s: readonly K3sNodeConfig[];
  /** Secrets and node steps to do by hand before Flux reconciles. @default - none */
  readonly prerequisites?: Prerequisites;
}

/** Path Flux syncs: the root of the cluster's tree (`flux/` in the layered layout). */
export function syncPath(cluster: HomelabCluster): string {
  return cluster.flux.layout === 'layered' ? `clusters/${cluster.name}/flux` : `clusters/${cluster.name}`;
}

/**
 * The cluster's bootstrap runbook (markdown, without the generated header): from bare nodes to a
 * cluster where Flux reconciles the tree, in order — nodes (per distribution), kubeconfig, manual
 * node steps, Git credentials, the SOPS key Secret, the Secrets the tree reads that nothing creates,
 * then the helmfile (or `flux bootstrap` for classic clusters), then checks.
 */
export function runbook(input: RunbookInput): string {
  const { cluster, plan } = input;
  const out: string[] = [];
  const sh = (...lines: string[]): void => {
    out.push('```sh', ...lines, '```', '');
  };
  out.push(`# Bootstrap: cluster \`${cluster.name}\``, '');
  out.push(`${describeCluster(cluster)} These steps take bare machines to a cluster where Flux reconciles \`${syncPath(cluster)}\` from ${cluster.git.url} (branch \`${cluster.git.branch}\`).`, '');
  out.push(`Everything in this folder is generated from \`${cluster.sourceFile}\` by \`npm run synth\`; it sits beside the Flux tree and Flux never applies it. Run commands from the repository root unless a step says otherwise.`, '');
  out.push(`Tools: ${tools(cluster).join(', ')}.`, '');

  let step = 1;
  const section = (title: string): void => {
    out.push(`## ${step++}. ${title}`, '');
  };

  if (cluster.distribution === 'talos') talosSteps(input, section, sh, out);
  else if (cluster.distribution === 'k3s') k3sSteps(input, section, sh, out);
  else okeSteps(input, section, sh, out);

  const nodeSteps = input.prerequisites?.nodes ?? [];
  if (nodeSteps.length > 0) {
    section('Prerequisites on the nodes');
    out.push('Components of this cluster need these done by hand on the nodes; no generated file does them:', '');
    out.push(...nodeStepsMarkdown(nodeSteps));
  }

  const git = bootstrapSecrets(cluster).find((s) => s.name === cluster.git.secretRef && s.createdBy === 'user');
  if (git) {
    section('Git credentials');
    out.push(`Flux pulls a private repository with the Secret \`flux-system/${git.name}\`. Create it from files you keep outside Git:`, '');
    sh(...git.commands);
  }

  if (cluster.sops) {
    section('SOPS key');
    out.push(`Flux decrypts the cluster's \`*.sops.yaml\` files with the age private key matching \`${cluster.sops.ageRecipients[0]}\`, read from the Secret \`flux-system/${cluster.sops.secretName}\` (key \`${AGE_SECRET_KEY}\`). Create it from your key file — the key never enters Git or any generated file:`, '');
    sh(`export SOPS_AGE_KEY_FILE="\${SOPS_AGE_KEY_FILE:-${DEFAULT_AGE_KEY_FILE}}"   # the file age-keygen wrote`, sopsSecretCommand(cluster.sops.secretName));
    if (cluster.flux.bootstrap === 'operator') out.push('The helmfile\'s flux-operator release runs the same command after installing the operator, so this step may also be left to it (it then needs `SOPS_AGE_KEY_FILE` exported).', '');
  }

  const secrets = (input.prerequisites?.secrets ?? []).filter((x) => x.stage === 'before-reconcile' && !x.committed);
  if (secrets.length > 0) {
    section('Secrets the tree reads');
    out.push(`Nothing in the tree creates ${secrets.length === 1 ? 'this Secret' : `these ${secrets.length} Secrets`}, and the components reading ${secrets.length === 1 ? 'it' : 'them'} stay unready until ${secrets.length === 1 ? 'it exists' : 'they exist'}: create ${secrets.length === 1 ? 'it' : 'them'} before Flux's first reconcile (the next step starts it); a SOPS file must be committed and pushed by then.`, '');
    out.push(secretRecipesIntro(cluster), '');
    for (const x of secrets) out.push(...secretRecipe(x, '###'));
  }

  if (cluster.flux.bootstrap === 'operator') {
    section('Install the CNI, flux-operator and Flux');
    sh(`helmfile --file ${input.dir}/helmfile.yaml sync`);
    out.push(...releaseTable(plan), '');
    if (plan.fluxInstanceFile) out.push(`After flux-operator is ready, its hook applies \`${plan.fluxInstanceFile}\` — the file Flux then keeps reconciling — and waits up to ${FLUX_READY_TIMEOUT} for it to be Ready.`, '');
    out.push(plan.fluxOperatorManaged
      ? 'Flux then adopts every release above (same names, chart versions and values), so later changes go through Git only.'
      : 'Flux then adopts the releases taken from the tree. flux-operator itself stays at the version installed here: add a `FluxOperator` component (src/lib/bootstrap/flux-operator.ts) to let Flux upgrade it from Git.', '');
  } else {
    section('Install Flux');
    if (plan.releases.length > 0) {
      out.push('First the releases Flux needs before it can run:', '');
      sh(`helmfile --file ${input.dir}/helmfile.yaml sync`);
      out.push(...releaseTable(plan), '');
    } else {
      out.push(`Nothing has to run before Flux on this cluster (the distribution's CNI and CoreDNS are kept), so \`${input.dir}/helmfile.yaml\` lists no release.`, '');
    }
    out.push('Classic bootstrap: the Flux CLI installs the controllers, pushes `gotk-components.yaml`, `gotk-sync.yaml` and its own `kustomization.yaml` to the sync path (so it needs write access to the repository), and Flux starts reconciling. Synth then restores its `kustomization.yaml` (which also lists the layers) and keeps the CLI\'s `gotk-components.yaml`:', '');
    const creds = cluster.git.url.startsWith('ssh://') ? ' --private-key-file=<path to a deploy key with write access>' : ' --username=git --password="$(cat <path to a file holding a token with write access>)" --token-auth=true';
    sh(
      `flux bootstrap git --url=${cluster.git.url} --branch=${cluster.git.branch} --path=${syncPath(cluster)}${creds}`,
      'git pull   # the files flux bootstrap committed',
      `npm run synth && git add ${syncPath(cluster)} && git commit -m "synth after flux bootstrap" && git push`,
    );
  }
  if (plan.deferred.length > 0) {
    out.push('Installed by Flux afterwards, although a bootstrap release uses it (restart that release\'s pods once it is there):', '');
    for (const line of plan.deferred) out.push(`- ${line}`);
    out.push('');
  }

  section('Check');
  sh(
    ...(cluster.flux.bootstrap === 'operator' ? ['kubectl -n flux-system get fluxinstance flux'] : []),
    'kubectl -n flux-system get gitrepositories,kustomizations',
    'kubectl get helmreleases -A',
  );
  out.push('Every Kustomization should turn Ready in dependency order; `kubectl -n flux-system describe kustomization <name>` says what one is waiting for.', '');
  return out.join('\n');
}

function describeCluster(cluster: HomelabCluster): string {
  const cp = cluster.controlPlaneNodes.length;
  const workers = cluster.workerNodes.length;
  const dist = { talos: 'Talos Linux', k3s: 'k3s', oke: 'OCI Container Engine for Kubernetes (OKE)' }[cluster.distribution];
  const shape = cluster.distribution === 'oke' ? `${workers} worker node(s), managed control plane` : `${cp} control plane(s), ${workers} worker(s)`;
  return `${dist}, ${shape}${cluster.description ? ` — ${cluster.description}` : ''}.`;
}

function tools(cluster: HomelabCluster): string[] {
  const t = ['kubectl', 'helm', 'helmfile'];
  if (cluster.distribution === 'talos') t.unshift('talosctl', 'talhelper');
  if (cluster.distribution === 'oke') t.unshift('oci (OCI CLI)');
  if (cluster.sops || cluster.distribution === 'talos') t.push('sops', 'age');
  if (cluster.flux.bootstrap === 'classic') t.push('flux');
  return t;
}

function releaseTable(plan: BootstrapPlan): string[] {
  if (plan.releases.length === 0) return [];
  const rows = plan.releases.map((r, i) => {
    const hooks = r.hooks.map((h) => `${h.events.join('/')}: ${h.description}`).join('<br>');
    return `| ${i + 1} | \`${r.namespace}/${r.name}\` | \`${r.chart}\` | ${r.version} | ${r.purpose} | \`${r.from}\` | ${hooks || '—'} |`;
  });
  return ['| # | Release | Chart | Version | Why | Version and values from | Hooks |', '|---|---|---|---|---|---|---|', ...rows];
}

type Section = (title: string) => void;
type Shell = (...lines: string[]) => void;

function talosSteps(input: RunbookInput, section: Section, sh: Shell, out: string[]): void {
  const { cluster, plan } = input;
  const cfg = talosConfig(cluster);
  const dir = `clusters/${cluster.name}/talos`;
  const first = cfg.nodes.find((n) => n.controlPlane) ?? cfg.nodes[0];
  const archs = [...new Set(cfg.nodes.map((n) => n.arch))].sort();
  section('Boot the nodes from the Talos image');
  out.push(`\`${dir}/schematic.yaml\` lists the system extensions the cluster's components need (${cfg.nodes.some((n) => n.extensions.length > 0) ? [...new Set(cfg.nodes.flatMap((n) => n.extensions))].sort().join(', ') : 'none'}). Register it with the Image Factory and boot every node from the ISO of the returned ID, Talos ${cfg.talosVersion}:`, '');
  sh(
    `curl -sX POST --data-binary @${dir}/schematic.yaml ${IMAGE_FACTORY_URL}/schematics   # {"id":"<id>"}`,
    ...archs.map((a) => `curl -LO ${IMAGE_FACTORY_URL}/image/<id>/${cfg.talosVersion}/metal-${a}.iso`),
  );
  out.push('| Node | Role | Address | Install disk | Arch | Extensions |', '|---|---|---|---|---|---|');
  for (const n of cfg.nodes) out.push(`| ${n.hostname} | ${n.controlPlane ? 'control plane' : 'worker'} | ${n.address} | ${n.installDisk} | ${n.arch} | ${n.extensions.join(', ') || '—'} |`);
  out.push('', `The nodes start in maintenance mode and wait for their configuration. The API endpoint is ${cfg.endpoint}.`, '');

  section('Generate the machine configurations');
  out.push(`\`${dir}/talconfig.yaml\` is talhelper's input. Create the cluster secrets once${cluster.sops ? ', encrypted with the cluster\'s age key (the `.sops.yaml` of the cluster folder lists it)' : ' and keep them outside Git (talsecret.yaml is git-ignored)'}, then generate:`, '');
  sh(
    `cd ${dir}`,
    ...(cluster.sops
      ? ['talhelper gensecret > talsecret.sops.yaml', "sops encrypt --encrypted-regex '.' --in-place talsecret.sops.yaml   # every value encrypted; commit it", 'talhelper genconfig --secret-file talsecret.sops.yaml']
      : ['talhelper gensecret > talsecret.yaml   # keep a copy in your password manager', 'talhelper genconfig --secret-file talsecret.yaml']),
  );
  out.push('`clusterconfig/` now holds one machine config per node and `talosconfig`; it carries the cluster PKI and is git-ignored.', '');

  section('Apply the configurations and bootstrap etcd');
  out.push('Still in the talos/ folder, once per node (`--insecure`: the nodes have no certificates yet):', '');
  sh(...cfg.nodes.map((n) => `talosctl apply-config --insecure --nodes ${n.address} --file ${n.configFile}`));
  out.push(`Once the nodes have installed and rebooted, bootstrap etcd on one control plane (once, never again), then fetch the kubeconfig:`, '');
  sh(
    `export TALOSCONFIG="$PWD/clusterconfig/talosconfig"`,
    `talosctl config endpoint ${cfg.nodes.filter((n) => n.controlPlane).map((n) => n.address).join(' ')}`,
    `talosctl bootstrap --nodes ${first.address}`,
    `talosctl kubeconfig --nodes ${first.address}   # merges into ~/.kube/config`,
    `talosctl health --nodes ${first.address}${plan.releases.some((r) => r.purpose.startsWith('CNI')) ? ' --wait-timeout 2m || true   # nodes stay NotReady until the CNI runs (step below)' : ''}`,
    'cd -',
  );
}

function k3sSteps(input: RunbookInput, section: Section, sh: Shell, out: string[]): void {
  const { cluster } = input;
  const configs = input.k3s;
  const first = configs.find((c) => c.first);
  section('Install k3s on every node');
  out.push(`Each node has its k3s configuration in \`clusters/${cluster.name}/k3s/<node>.yaml\` (k3s flags without their dashes). Every node reads the join token from \`${K3S_TOKEN_FILE}\`: generate one secret token once (e.g. \`openssl rand -hex 32\`), keep it encrypted (sops-nix or agenix on NixOS) and install it there with mode 0600 — it never appears in Git in plaintext.`, '');
  out.push('| Node | Role | Config | Labels | Taints | Host packages (NixOS) |', '|---|---|---|---|---|---|');
  for (const c of configs) {
    const labels = (c.config['node-label'] as string[]).map((l) => `\`${l}\``).join(' ');
    const taints = (c.config['node-taint'] as string[]).map((t) => `\`${t}\``).join(' ') || '—';
    const pkgs = [...c.nixPackages, ...c.hostServices.map((s) => `service ${s}`)].join(', ') || '—';
    out.push(`| ${c.node.name} | ${c.role}${c.first ? ' (first)' : ''} | \`${c.file}\` | ${labels} | ${taints} | ${pkgs} |`);
  }
  out.push('');
  const disabled = configs.find((c) => c.role === 'server')?.disabled ?? [];
  if (disabled.length > 0) {
    out.push('The servers turn off what the estate replaces:', '');
    for (const x of disabled) out.push(`- ${x.name} (\`${x.flag}\`): ${x.reason}`);
    out.push('');
  }
  out.push('On NixOS, point each host at its file (the path is relative to the flake or configuration in this repository):', '');
  out.push('```nix');
  for (const c of configs) out.push(`# ${c.node.name}`, `services.k3s = { enable = true; role = "${c.role}"; configPath = ./${c.file}; };`);
  out.push('```', '');
  out.push('Elsewhere, copy the file to `/etc/rancher/k3s/config.yaml` and run the k3s installer with `INSTALL_K3S_EXEC=server` or `agent`. Start the first server first, then the other servers, then the agents.', '');
  section('Kubeconfig');
  const host = first ? first.node.ip ?? first.node.name : '<server>';
  sh(
    `ssh ${host} sudo cat /etc/rancher/k3s/k3s.yaml | sed 's/127.0.0.1/${cluster.network.vip ?? host}/' > "$HOME/.kube/${cluster.name}.yaml"`,
    `export KUBECONFIG="$HOME/.kube/${cluster.name}.yaml"`,
    'kubectl get nodes -o wide',
  );
}

function okeSteps(input: RunbookInput, section: Section, sh: Shell, out: string[]): void {
  const { cluster } = input;
  section('Create the OKE cluster');
  out.push(`Create the cluster and a node pool in OCI (console or Terraform) with the nodes the model declares — OKE runs the control plane, CNI and CoreDNS:`, '');
  out.push('| Node | CPU | Memory | Arch |', '|---|---|---|---|');
  for (const n of cluster.nodes) out.push(`| ${n.name} | ${n.cpu} | ${n.memory} | ${n.arch ?? 'amd64'} |`);
  out.push('', `Use pods in ${cluster.network.podCidr} and services in ${cluster.network.serviceCidr} (the cluster model's CIDRs).`, '');
  section('Kubeconfig');
  sh(
    'oci ce cluster create-kubeconfig --cluster-id <cluster OCID> --region <region> --file "$HOME/.kube/config" --token-version 2.0.0 --kube-endpoint PUBLIC_ENDPOINT',
    'kubectl get nodes -o wide',
  );
}
