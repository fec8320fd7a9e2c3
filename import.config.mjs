/**
 * The import manifest: every upstream input of `npm run import`, maintained by hand (Renovate
 * bumps the chart versions). scripts/import.mjs reads it and regenerates imports/ from it.
 *
 * - charts: one entry per Helm chart the library knows. `version` is the exact pin, under a
 *   Renovate marker (renovate.json's regex manager reads `// renovate: …` + `version: '…'`).
 *   The chart itself is found in $HOMELAB_CHART_MIRROR/<name>-<version>/, the local cache, or
 *   pulled with helm (see scripts/import/resolve.mjs). repository/type/alternatives/deprecated/
 *   notes/images become imports/charts.ts; `source` records where upstream keeps the chart.
 * - crds: per source folder (the name imports/schemas/crds/index.json records), where each CRD
 *   file comes from: `files` maps file name -> raw URL at the upstream tag; `chart` takes the
 *   listed files from that chart's crds/ folder; `split` is one multi-document release file whose
 *   CustomResourceDefinitions are stored one per file, named <metadata.name>.yaml.
 * - talos: the talhelper and Talos machine-config JSON schemas, by path below talos/.
 *
 * After changing a version or URL: `npm run import`, review dist/import-report.md, commit
 * import.config.mjs and imports/ together.
 */
export default {
  charts: [
    {
      name: 'app-template',
      // renovate: datasource=helm depName=app-template registryUrl=https://bjw-s-labs.github.io/helm-charts
      version: '4.1.1',
      repository: 'https://bjw-s-labs.github.io/helm-charts',
      type: 'https',
      alternatives: [
        'oci://ghcr.io/bjw-s/helm/app-template', // as written in the chart README at this tag
      ],
      images: [],
      source: 'bjw-s-labs/helm-charts charts/other/app-template + charts/library/common (copied to app-template/common/)',
    },
    {
      name: 'cert-manager',
      // renovate: datasource=docker depName=quay.io/jetstack/charts/cert-manager
      version: 'v1.21.1',
      repository: 'oci://quay.io/jetstack/charts/cert-manager',
      type: 'oci',
      alternatives: [],
      notes: 'Chart.yaml in git carries version/appVersion v0.0.0 placeholders; the release tool sets both to the tag (v1.21.1)',
      images: [
        'quay.io/jetstack/cert-manager-controller:v1.21.1', // imageRegistry + imageNamespace + image.name, tag = appVersion
      ],
      source: 'cert-manager/cert-manager deploy/charts/cert-manager',
    },
    {
      name: 'cilium',
      // renovate: datasource=helm depName=cilium registryUrl=https://helm.cilium.io/
      version: '1.20.0',
      repository: 'https://helm.cilium.io/',
      type: 'https',
      alternatives: [],
      images: [
        'quay.io/cilium/cilium:v1.20.0',
        'quay.io/cilium/operator-generic:v1.20.0',
      ],
      source: 'cilium/cilium install/kubernetes/cilium (packaged in cilium/charts as cilium-1.20.0.tgz)',
    },
    {
      name: 'cloudflare-tunnel',
      // renovate: datasource=helm depName=cloudflare-tunnel registryUrl=https://cloudflare.github.io/helm-charts
      version: '0.3.2',
      repository: 'https://cloudflare.github.io/helm-charts',
      type: 'https',
      alternatives: [],
      notes: 'no release since 2024-09; cloudflared 2024.8.3 is old',
      images: [
        'cloudflare/cloudflared:2024.8.3', // tag empty -> appVersion
      ],
      source: 'cloudflare/helm-charts charts/cloudflare-tunnel',
    },
    {
      name: 'cloudflare-tunnel-remote',
      // renovate: datasource=helm depName=cloudflare-tunnel-remote registryUrl=https://cloudflare.github.io/helm-charts
      version: '0.1.2',
      repository: 'https://cloudflare.github.io/helm-charts',
      type: 'https',
      alternatives: [],
      images: [
        'cloudflare/cloudflared:latest', // tag empty -> appVersion "latest"
      ],
      source: 'cloudflare/helm-charts charts/cloudflare-tunnel-remote',
    },
    {
      name: 'cloudflared',
      // renovate: datasource=helm depName=cloudflared registryUrl=https://community-charts.github.io/helm-charts
      version: '2.2.16',
      repository: 'https://community-charts.github.io/helm-charts',
      type: 'https',
      alternatives: [],
      images: [
        'cloudflare/cloudflared:2026.8.2', // tag empty -> appVersion
      ],
      source: 'community-charts/helm-charts charts/cloudflared',
    },
    {
      name: 'cloudnative-pg',
      // renovate: datasource=helm depName=cloudnative-pg registryUrl=https://cloudnative-pg.github.io/charts
      version: '0.29.0',
      repository: 'https://cloudnative-pg.github.io/charts',
      type: 'https',
      alternatives: [],
      images: [
        'ghcr.io/cloudnative-pg/cloudnative-pg:1.30.0', // image.tag empty -> appVersion
      ],
      source: 'cloudnative-pg/charts charts/cloudnative-pg',
    },
    {
      name: 'cluster',
      // renovate: datasource=helm depName=cluster registryUrl=https://cloudnative-pg.github.io/charts
      version: '0.8.1',
      repository: 'https://cloudnative-pg.github.io/charts',
      type: 'https',
      alternatives: [],
      images: [
        'ghcr.io/cloudnative-pg/postgresql:16', // cluster.imageName empty -> type "postgresql" + version.postgresql "16"
      ],
      source: 'cloudnative-pg/charts charts/cluster',
    },
    {
      name: 'csi-driver-nfs',
      // renovate: datasource=helm depName=csi-driver-nfs registryUrl=https://raw.githubusercontent.com/kubernetes-csi/csi-driver-nfs/master/charts
      version: '4.13.4',
      repository: 'https://raw.githubusercontent.com/kubernetes-csi/csi-driver-nfs/master/charts',
      type: 'https',
      alternatives: [
        'https://kubernetes-csi.github.io/csi-driver-nfs', // GitHub Pages mirror, documented on master after the 4.13.4 tag
      ],
      images: [
        'registry.k8s.io/sig-storage/nfsplugin:v4.13.4',
        'registry.k8s.io/sig-storage/csi-provisioner:v6.3.0',
        'registry.k8s.io/sig-storage/csi-resizer:v2.2.0',
        'registry.k8s.io/sig-storage/csi-snapshotter:v8.6.0',
      ],
      source: 'kubernetes-csi/csi-driver-nfs charts/v4.13.4/csi-driver-nfs',
    },
    {
      name: 'external-dns',
      // renovate: datasource=helm depName=external-dns registryUrl=https://kubernetes-sigs.github.io/external-dns/
      version: '1.21.1',
      repository: 'https://kubernetes-sigs.github.io/external-dns/',
      type: 'https',
      alternatives: [],
      notes: 'app v0.22.0 is released but no chart for it yet at this snapshot',
      images: [
        'registry.k8s.io/external-dns/external-dns:v0.21.0', // tag empty -> "v" + appVersion
      ],
      source: 'kubernetes-sigs/external-dns charts/external-dns (tag external-dns-helm-chart-1.21.1)',
    },
    {
      name: 'external-secrets',
      // renovate: datasource=helm depName=external-secrets registryUrl=https://charts.external-secrets.io
      version: '2.9.0',
      repository: 'https://charts.external-secrets.io',
      type: 'https',
      alternatives: [],
      images: [
        'ghcr.io/external-secrets/external-secrets:v2.9.0', // tag empty -> appVersion
      ],
      source: 'external-secrets/external-secrets deploy/charts/external-secrets (tag helm-chart-2.9.0)',
    },
    {
      name: 'ingress-nginx',
      // renovate: datasource=helm depName=ingress-nginx registryUrl=https://kubernetes.github.io/ingress-nginx
      version: '4.15.1',
      repository: 'https://kubernetes.github.io/ingress-nginx',
      type: 'https',
      alternatives: [],
      deprecated: true,
      notes: 'Ingress NGINX is retired upstream (README - best-effort maintenance until March 2026, no further releases, bugfixes or security fixes afterwards). 4.15.1 is the final chart release in the mirror.',
      images: [
        'registry.k8s.io/ingress-nginx/controller:v1.15.1', // values also pin a sha256 digest
      ],
      source: 'kubernetes/ingress-nginx charts/ingress-nginx',
    },
    {
      name: 'k8s-gateway',
      // renovate: datasource=helm depName=k8s-gateway registryUrl=https://ori-edge.github.io/k8s_gateway/
      version: '2.4.0',
      repository: 'https://ori-edge.github.io/k8s_gateway/',
      type: 'https',
      alternatives: [],
      notes: 'no release since 2024-03',
      images: [
        'quay.io/oriedge/k8s_gateway:v0.4.0',
      ],
      source: 'ori-edge/k8s_gateway charts/k8s-gateway',
    },
    {
      name: 'kube-prometheus-stack',
      // renovate: datasource=docker depName=ghcr.io/prometheus-community/charts/kube-prometheus-stack
      version: '88.5.3',
      repository: 'oci://ghcr.io/prometheus-community/charts/kube-prometheus-stack',
      type: 'oci',
      alternatives: [
        'https://prometheus-community.github.io/helm-charts',
      ],
      notes: 'sub-chart grafana now comes from https://grafana-community.github.io/helm-charts (see Chart.yaml dependencies)',
      images: [
        'quay.io/prometheus-operator/prometheus-operator:v0.93.1', // tag empty -> appVersion
        'quay.io/prometheus/prometheus:v3.14.0-distroless',
        'quay.io/prometheus/alertmanager:v0.34.0',
      ],
      source: 'prometheus-community/helm-charts charts/kube-prometheus-stack',
    },
    {
      name: 'longhorn',
      // renovate: datasource=helm depName=longhorn registryUrl=https://charts.longhorn.io
      version: '1.12.1',
      repository: 'https://charts.longhorn.io',
      type: 'https',
      alternatives: [],
      images: [
        'longhornio/longhorn-manager:v1.12.1',
        'longhornio/longhorn-engine:v1.12.1',
        'longhornio/longhorn-instance-manager:v1.12.1',
        'longhornio/longhorn-share-manager:v1.12.1',
        'longhornio/backing-image-manager:v1.12.1',
        'longhornio/longhorn-ui:v1.12.1',
      ],
      source: 'longhorn/longhorn chart/',
    },
    {
      name: 'nfs-subdir-external-provisioner',
      // renovate: datasource=helm depName=nfs-subdir-external-provisioner registryUrl=https://kubernetes-sigs.github.io/nfs-subdir-external-provisioner/
      version: '4.0.18',
      repository: 'https://kubernetes-sigs.github.io/nfs-subdir-external-provisioner/',
      type: 'https',
      alternatives: [],
      notes: 'no chart release since 2023-03',
      images: [
        'registry.k8s.io/sig-storage/nfs-subdir-external-provisioner:v4.0.2',
      ],
      source: 'kubernetes-sigs/nfs-subdir-external-provisioner charts/nfs-subdir-external-provisioner',
    },
    {
      name: 'openbao',
      // renovate: datasource=helm depName=openbao registryUrl=https://openbao.github.io/openbao-helm
      version: '0.29.2',
      repository: 'https://openbao.github.io/openbao-helm',
      type: 'https',
      alternatives: [
        'oci://ghcr.io/openbao/charts/openbao',
      ],
      images: [
        'quay.io/openbao/openbao:v2.6.2', // server.image.tag empty -> appVersion
        'docker.io/hashicorp/vault-k8s:1.7.2', // injector
        'quay.io/openbao/openbao-csi-provider:2.0.3',
      ],
      source: 'openbao/openbao-helm charts/openbao',
    },
    {
      name: 'plugin-barman-cloud',
      // renovate: datasource=helm depName=plugin-barman-cloud registryUrl=https://cloudnative-pg.github.io/charts
      version: '0.7.0',
      repository: 'https://cloudnative-pg.github.io/charts',
      type: 'https',
      alternatives: [],
      notes: 'chart appVersion v0.13.0 lags the plugin\'s newest release v0.14.0 (whose ObjectStore CRD is in ../crds/barman-cloud)',
      images: [
        'ghcr.io/cloudnative-pg/plugin-barman-cloud:v0.13.0', // tag empty -> appVersion
        'ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar:v0.13.0', // tag empty -> appVersion
      ],
      source: 'cloudnative-pg/charts charts/plugin-barman-cloud',
    },
    {
      name: 'traefik',
      // renovate: datasource=helm depName=traefik registryUrl=https://traefik.github.io/charts
      version: '41.3.0',
      repository: 'https://traefik.github.io/charts',
      type: 'https',
      alternatives: [
        'oci://ghcr.io/traefik/helm/traefik',
      ],
      images: [
        'docker.io/traefik:v3.7.11', // image.registry/repository/tag empty -> docker.io + traefik + appVersion
      ],
      source: 'traefik/traefik-helm-chart traefik/',
    },
  ],
  crds: {
    'barman-cloud': {
      files: {
        'barmancloud.cnpg.io_objectstores.yaml': 'https://raw.githubusercontent.com/cloudnative-pg/plugin-barman-cloud/v0.14.0/config/crd/bases/barmancloud.cnpg.io_objectstores.yaml',
      },
    },
    'cert-manager': {
      files: {
        'acme.cert-manager.io_challenges.yaml': 'https://raw.githubusercontent.com/cert-manager/cert-manager/v1.21.1/deploy/crds/acme.cert-manager.io_challenges.yaml',
        'acme.cert-manager.io_orders.yaml': 'https://raw.githubusercontent.com/cert-manager/cert-manager/v1.21.1/deploy/crds/acme.cert-manager.io_orders.yaml',
        'cert-manager.io_certificaterequests.yaml': 'https://raw.githubusercontent.com/cert-manager/cert-manager/v1.21.1/deploy/crds/cert-manager.io_certificaterequests.yaml',
        'cert-manager.io_certificates.yaml': 'https://raw.githubusercontent.com/cert-manager/cert-manager/v1.21.1/deploy/crds/cert-manager.io_certificates.yaml',
        'cert-manager.io_clusterissuers.yaml': 'https://raw.githubusercontent.com/cert-manager/cert-manager/v1.21.1/deploy/crds/cert-manager.io_clusterissuers.yaml',
        'cert-manager.io_issuers.yaml': 'https://raw.githubusercontent.com/cert-manager/cert-manager/v1.21.1/deploy/crds/cert-manager.io_issuers.yaml',
      },
    },
    cilium: {
      files: {
        'ciliumbgpadvertisements.yaml': 'https://raw.githubusercontent.com/cilium/cilium/v1.19.4/pkg/k8s/apis/cilium.io/client/crds/v2/ciliumbgpadvertisements.yaml',
        'ciliumbgpclusterconfigs.yaml': 'https://raw.githubusercontent.com/cilium/cilium/v1.19.4/pkg/k8s/apis/cilium.io/client/crds/v2/ciliumbgpclusterconfigs.yaml',
        'ciliumbgpnodeconfigoverrides.yaml': 'https://raw.githubusercontent.com/cilium/cilium/v1.19.4/pkg/k8s/apis/cilium.io/client/crds/v2/ciliumbgpnodeconfigoverrides.yaml',
        'ciliumbgppeerconfigs.yaml': 'https://raw.githubusercontent.com/cilium/cilium/v1.19.4/pkg/k8s/apis/cilium.io/client/crds/v2/ciliumbgppeerconfigs.yaml',
        'ciliumcidrgroups.yaml': 'https://raw.githubusercontent.com/cilium/cilium/v1.19.4/pkg/k8s/apis/cilium.io/client/crds/v2/ciliumcidrgroups.yaml',
        'ciliumclusterwideenvoyconfigs.yaml': 'https://raw.githubusercontent.com/cilium/cilium/v1.19.4/pkg/k8s/apis/cilium.io/client/crds/v2/ciliumclusterwideenvoyconfigs.yaml',
        'ciliumclusterwidenetworkpolicies.yaml': 'https://raw.githubusercontent.com/cilium/cilium/v1.19.4/pkg/k8s/apis/cilium.io/client/crds/v2/ciliumclusterwidenetworkpolicies.yaml',
        'ciliumegressgatewaypolicies.yaml': 'https://raw.githubusercontent.com/cilium/cilium/v1.19.4/pkg/k8s/apis/cilium.io/client/crds/v2/ciliumegressgatewaypolicies.yaml',
        'ciliumenvoyconfigs.yaml': 'https://raw.githubusercontent.com/cilium/cilium/v1.19.4/pkg/k8s/apis/cilium.io/client/crds/v2/ciliumenvoyconfigs.yaml',
        'ciliumgatewayclassconfigs.yaml': 'https://raw.githubusercontent.com/cilium/cilium/v1.19.4/pkg/k8s/apis/cilium.io/client/crds/v2alpha1/ciliumgatewayclassconfigs.yaml',
        'ciliuml2announcementpolicies.yaml': 'https://raw.githubusercontent.com/cilium/cilium/v1.19.4/pkg/k8s/apis/cilium.io/client/crds/v2alpha1/ciliuml2announcementpolicies.yaml',
        'ciliumloadbalancerippools.yaml': 'https://raw.githubusercontent.com/cilium/cilium/v1.19.4/pkg/k8s/apis/cilium.io/client/crds/v2/ciliumloadbalancerippools.yaml',
        'ciliumlocalredirectpolicies.yaml': 'https://raw.githubusercontent.com/cilium/cilium/v1.19.4/pkg/k8s/apis/cilium.io/client/crds/v2/ciliumlocalredirectpolicies.yaml',
        'ciliumnetworkpolicies.yaml': 'https://raw.githubusercontent.com/cilium/cilium/v1.19.4/pkg/k8s/apis/cilium.io/client/crds/v2/ciliumnetworkpolicies.yaml',
        'ciliumnodeconfigs.yaml': 'https://raw.githubusercontent.com/cilium/cilium/v1.19.4/pkg/k8s/apis/cilium.io/client/crds/v2/ciliumnodeconfigs.yaml',
        'ciliumpodippools.yaml': 'https://raw.githubusercontent.com/cilium/cilium/v1.19.4/pkg/k8s/apis/cilium.io/client/crds/v2alpha1/ciliumpodippools.yaml',
      },
    },
    'cloudnative-pg': {
      files: {
        'postgresql.cnpg.io_backups.yaml': 'https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/v1.30.0/config/crd/bases/postgresql.cnpg.io_backups.yaml',
        'postgresql.cnpg.io_clusterimagecatalogs.yaml': 'https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/v1.30.0/config/crd/bases/postgresql.cnpg.io_clusterimagecatalogs.yaml',
        'postgresql.cnpg.io_clusters.yaml': 'https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/v1.30.0/config/crd/bases/postgresql.cnpg.io_clusters.yaml',
        'postgresql.cnpg.io_databaseroles.yaml': 'https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/v1.30.0/config/crd/bases/postgresql.cnpg.io_databaseroles.yaml',
        'postgresql.cnpg.io_databases.yaml': 'https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/v1.30.0/config/crd/bases/postgresql.cnpg.io_databases.yaml',
        'postgresql.cnpg.io_failoverquorums.yaml': 'https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/v1.30.0/config/crd/bases/postgresql.cnpg.io_failoverquorums.yaml',
        'postgresql.cnpg.io_imagecatalogs.yaml': 'https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/v1.30.0/config/crd/bases/postgresql.cnpg.io_imagecatalogs.yaml',
        'postgresql.cnpg.io_poolers.yaml': 'https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/v1.30.0/config/crd/bases/postgresql.cnpg.io_poolers.yaml',
        'postgresql.cnpg.io_publications.yaml': 'https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/v1.30.0/config/crd/bases/postgresql.cnpg.io_publications.yaml',
        'postgresql.cnpg.io_scheduledbackups.yaml': 'https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/v1.30.0/config/crd/bases/postgresql.cnpg.io_scheduledbackups.yaml',
        'postgresql.cnpg.io_subscriptions.yaml': 'https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/v1.30.0/config/crd/bases/postgresql.cnpg.io_subscriptions.yaml',
      },
    },
    'external-secrets': {
      files: {
        'external-secrets.io_clusterexternalsecrets.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/external-secrets.io_clusterexternalsecrets.yaml',
        'external-secrets.io_clusterpushsecrets.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/external-secrets.io_clusterpushsecrets.yaml',
        'external-secrets.io_clustersecretstores.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/external-secrets.io_clustersecretstores.yaml',
        'external-secrets.io_externalsecrets.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/external-secrets.io_externalsecrets.yaml',
        'external-secrets.io_pushsecrets.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/external-secrets.io_pushsecrets.yaml',
        'external-secrets.io_secretstores.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/external-secrets.io_secretstores.yaml',
        'generators.external-secrets.io_acraccesstokens.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/generators.external-secrets.io_acraccesstokens.yaml',
        'generators.external-secrets.io_beyondtrustworkloadcredentialsdynamicsecrets.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/generators.external-secrets.io_beyondtrustworkloadcredentialsdynamicsecrets.yaml',
        'generators.external-secrets.io_cloudsmithaccesstokens.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/generators.external-secrets.io_cloudsmithaccesstokens.yaml',
        'generators.external-secrets.io_ecrauthorizationtokens.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/generators.external-secrets.io_ecrauthorizationtokens.yaml',
        'generators.external-secrets.io_fakes.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/generators.external-secrets.io_fakes.yaml',
        'generators.external-secrets.io_gcraccesstokens.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/generators.external-secrets.io_gcraccesstokens.yaml',
        'generators.external-secrets.io_generatorstates.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/generators.external-secrets.io_generatorstates.yaml',
        'generators.external-secrets.io_githubaccesstokens.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/generators.external-secrets.io_githubaccesstokens.yaml',
        'generators.external-secrets.io_gitlabdeploytokens.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/generators.external-secrets.io_gitlabdeploytokens.yaml',
        'generators.external-secrets.io_grafanas.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/generators.external-secrets.io_grafanas.yaml',
        'generators.external-secrets.io_mfas.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/generators.external-secrets.io_mfas.yaml',
        'generators.external-secrets.io_passwords.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/generators.external-secrets.io_passwords.yaml',
        'generators.external-secrets.io_quayaccesstokens.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/generators.external-secrets.io_quayaccesstokens.yaml',
        'generators.external-secrets.io_sshkeys.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/generators.external-secrets.io_sshkeys.yaml',
        'generators.external-secrets.io_stssessiontokens.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/generators.external-secrets.io_stssessiontokens.yaml',
        'generators.external-secrets.io_uuids.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/generators.external-secrets.io_uuids.yaml',
        'generators.external-secrets.io_vaultdynamicsecrets.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/generators.external-secrets.io_vaultdynamicsecrets.yaml',
        'generators.external-secrets.io_webhooks.yaml': 'https://raw.githubusercontent.com/external-secrets/external-secrets/v2.9.0/config/crds/bases/generators.external-secrets.io_webhooks.yaml',
      },
    },
    flux: {
      files: {
        'helm.toolkit.fluxcd.io_helmreleases.yaml': 'https://raw.githubusercontent.com/fluxcd/helm-controller/v1.6.3/config/crd/bases/helm.toolkit.fluxcd.io_helmreleases.yaml',
        'kustomize.toolkit.fluxcd.io_kustomizations.yaml': 'https://raw.githubusercontent.com/fluxcd/kustomize-controller/v1.9.4/config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml',
        'notification.toolkit.fluxcd.io_alerts.yaml': 'https://raw.githubusercontent.com/fluxcd/notification-controller/v1.9.3/config/crd/bases/notification.toolkit.fluxcd.io_alerts.yaml',
        'notification.toolkit.fluxcd.io_providers.yaml': 'https://raw.githubusercontent.com/fluxcd/notification-controller/v1.9.3/config/crd/bases/notification.toolkit.fluxcd.io_providers.yaml',
        'notification.toolkit.fluxcd.io_receivers.yaml': 'https://raw.githubusercontent.com/fluxcd/notification-controller/v1.9.3/config/crd/bases/notification.toolkit.fluxcd.io_receivers.yaml',
        'source.toolkit.fluxcd.io_buckets.yaml': 'https://raw.githubusercontent.com/fluxcd/source-controller/v1.9.1/config/crd/bases/source.toolkit.fluxcd.io_buckets.yaml',
        'source.toolkit.fluxcd.io_externalartifacts.yaml': 'https://raw.githubusercontent.com/fluxcd/source-controller/v1.9.1/config/crd/bases/source.toolkit.fluxcd.io_externalartifacts.yaml',
        'source.toolkit.fluxcd.io_gitrepositories.yaml': 'https://raw.githubusercontent.com/fluxcd/source-controller/v1.9.1/config/crd/bases/source.toolkit.fluxcd.io_gitrepositories.yaml',
        'source.toolkit.fluxcd.io_helmcharts.yaml': 'https://raw.githubusercontent.com/fluxcd/source-controller/v1.9.1/config/crd/bases/source.toolkit.fluxcd.io_helmcharts.yaml',
        'source.toolkit.fluxcd.io_helmrepositories.yaml': 'https://raw.githubusercontent.com/fluxcd/source-controller/v1.9.1/config/crd/bases/source.toolkit.fluxcd.io_helmrepositories.yaml',
        'source.toolkit.fluxcd.io_ocirepositories.yaml': 'https://raw.githubusercontent.com/fluxcd/source-controller/v1.9.1/config/crd/bases/source.toolkit.fluxcd.io_ocirepositories.yaml',
      },
    },
    'flux-operator': {
      files: {
        'fluxcd.controlplane.io_fluxinstances.yaml': 'https://raw.githubusercontent.com/controlplaneio-fluxcd/flux-operator/v0.58.1/config/crd/bases/fluxcd.controlplane.io_fluxinstances.yaml',
        'fluxcd.controlplane.io_fluxreports.yaml': 'https://raw.githubusercontent.com/controlplaneio-fluxcd/flux-operator/v0.58.1/config/crd/bases/fluxcd.controlplane.io_fluxreports.yaml',
        'fluxcd.controlplane.io_resourcesetinputproviders.yaml': 'https://raw.githubusercontent.com/controlplaneio-fluxcd/flux-operator/v0.58.1/config/crd/bases/fluxcd.controlplane.io_resourcesetinputproviders.yaml',
        'fluxcd.controlplane.io_resourcesets.yaml': 'https://raw.githubusercontent.com/controlplaneio-fluxcd/flux-operator/v0.58.1/config/crd/bases/fluxcd.controlplane.io_resourcesets.yaml',
      },
    },
    'gateway-api': {
      files: {
        'gateway.networking.k8s.io_backendtlspolicies.yaml': 'https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/v1.6.1/config/crd/standard/gateway.networking.k8s.io_backendtlspolicies.yaml',
        'gateway.networking.k8s.io_gatewayclasses.yaml': 'https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/v1.6.1/config/crd/standard/gateway.networking.k8s.io_gatewayclasses.yaml',
        'gateway.networking.k8s.io_gateways.yaml': 'https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/v1.6.1/config/crd/standard/gateway.networking.k8s.io_gateways.yaml',
        'gateway.networking.k8s.io_grpcroutes.yaml': 'https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/v1.6.1/config/crd/standard/gateway.networking.k8s.io_grpcroutes.yaml',
        'gateway.networking.k8s.io_httproutes.yaml': 'https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/v1.6.1/config/crd/standard/gateway.networking.k8s.io_httproutes.yaml',
        'gateway.networking.k8s.io_listenersets.yaml': 'https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/v1.6.1/config/crd/standard/gateway.networking.k8s.io_listenersets.yaml',
        'gateway.networking.k8s.io_referencegrants.yaml': 'https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/v1.6.1/config/crd/standard/gateway.networking.k8s.io_referencegrants.yaml',
        'gateway.networking.k8s.io_tcproutes.yaml': 'https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/v1.6.1/config/crd/standard/gateway.networking.k8s.io_tcproutes.yaml',
        'gateway.networking.k8s.io_tlsroutes.yaml': 'https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/v1.6.1/config/crd/standard/gateway.networking.k8s.io_tlsroutes.yaml',
        'gateway.networking.k8s.io_udproutes.yaml': 'https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/v1.6.1/config/crd/standard/gateway.networking.k8s.io_udproutes.yaml',
      },
    },
    keycloak: {
      files: {
        'keycloakrealmimports.k8s.keycloak.org-v1.yml': 'https://raw.githubusercontent.com/keycloak/keycloak-k8s-resources/26.0.0/kubernetes/keycloakrealmimports.k8s.keycloak.org-v1.yml',
        'keycloaks.k8s.keycloak.org-v1.yml': 'https://raw.githubusercontent.com/keycloak/keycloak-k8s-resources/26.0.0/kubernetes/keycloaks.k8s.keycloak.org-v1.yml',
      },
    },
    longhorn: {
      split: 'https://raw.githubusercontent.com/longhorn/longhorn/v1.12.1/deploy/longhorn.yaml',
      files: [
        'backingimagedatasources.longhorn.io.yaml',
        'backingimagemanagers.longhorn.io.yaml',
        'backingimages.longhorn.io.yaml',
        'backupbackingimages.longhorn.io.yaml',
        'backups.longhorn.io.yaml',
        'backuptargets.longhorn.io.yaml',
        'backupvolumes.longhorn.io.yaml',
        'enginefrontends.longhorn.io.yaml',
        'engineimages.longhorn.io.yaml',
        'engines.longhorn.io.yaml',
        'instancemanagers.longhorn.io.yaml',
        'nodes.longhorn.io.yaml',
        'orphans.longhorn.io.yaml',
        'recurringjobs.longhorn.io.yaml',
        'replicas.longhorn.io.yaml',
        'settings.longhorn.io.yaml',
        'shardgroups.longhorn.io.yaml',
        'shards.longhorn.io.yaml',
        'sharemanagers.longhorn.io.yaml',
        'snapshots.longhorn.io.yaml',
        'supportbundles.longhorn.io.yaml',
        'systembackups.longhorn.io.yaml',
        'systemrestores.longhorn.io.yaml',
        'volumeattachments.longhorn.io.yaml',
        'volumes.longhorn.io.yaml',
      ],
    },
    'prometheus-operator': {
      files: {
        'monitoring.coreos.com_alertmanagerconfigs.yaml': 'https://raw.githubusercontent.com/prometheus-operator/prometheus-operator/v0.93.0/example/prometheus-operator-crd/monitoring.coreos.com_alertmanagerconfigs.yaml',
        'monitoring.coreos.com_podmonitors.yaml': 'https://raw.githubusercontent.com/prometheus-operator/prometheus-operator/v0.93.0/example/prometheus-operator-crd/monitoring.coreos.com_podmonitors.yaml',
        'monitoring.coreos.com_probes.yaml': 'https://raw.githubusercontent.com/prometheus-operator/prometheus-operator/v0.93.0/example/prometheus-operator-crd/monitoring.coreos.com_probes.yaml',
        'monitoring.coreos.com_prometheusrules.yaml': 'https://raw.githubusercontent.com/prometheus-operator/prometheus-operator/v0.93.0/example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml',
        'monitoring.coreos.com_scrapeconfigs.yaml': 'https://raw.githubusercontent.com/prometheus-operator/prometheus-operator/v0.93.0/example/prometheus-operator-crd/monitoring.coreos.com_scrapeconfigs.yaml',
        'monitoring.coreos.com_servicemonitors.yaml': 'https://raw.githubusercontent.com/prometheus-operator/prometheus-operator/v0.93.0/example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml',
      },
    },
    tailscale: {
      files: {
        'tailscale.com_connectors.yaml': 'https://raw.githubusercontent.com/tailscale/tailscale/v1.102.3/cmd/k8s-operator/deploy/crds/tailscale.com_connectors.yaml',
        'tailscale.com_proxyclasses.yaml': 'https://raw.githubusercontent.com/tailscale/tailscale/v1.102.3/cmd/k8s-operator/deploy/crds/tailscale.com_proxyclasses.yaml',
        'tailscale.com_proxygroups.yaml': 'https://raw.githubusercontent.com/tailscale/tailscale/v1.102.3/cmd/k8s-operator/deploy/crds/tailscale.com_proxygroups.yaml',
      },
    },
    traefik: {
      chart: 'traefik',
      files: [
        'traefik.io_ingressroutes.yaml',
        'traefik.io_ingressroutetcps.yaml',
        'traefik.io_ingressrouteudps.yaml',
        'traefik.io_middlewares.yaml',
        'traefik.io_middlewaretcps.yaml',
        'traefik.io_serverstransports.yaml',
        'traefik.io_serverstransporttcps.yaml',
        'traefik.io_tlsoptions.yaml',
        'traefik.io_tlsstores.yaml',
        'traefik.io_traefikservices.yaml',
      ],
    },
  },
  talos: {
    'siderolabs/config.schema.json': 'https://raw.githubusercontent.com/siderolabs/talos/v1.13.9/website/content/v1.13/schemas/config.schema.json',
    'talhelper/talconfig.json': 'https://raw.githubusercontent.com/budimanjojo/talhelper/v3.1.16/pkg/config/schemas/talconfig.json',
  },
};
