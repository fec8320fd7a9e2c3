import type { ImageRuntime } from './runtime-needs.js';

/**
 * Runtime facts of the images the library pins (apps here, Redis and InfluxDB in the platform), by
 * repository (see `runtimeKey`): tag-independent, so a Renovate bump keeps them; re-read the
 * sources when a major version changes the Dockerfile or entrypoint. Each entry says where it was
 * read. Pass `image.runtime` for an image of your own.
 */
/** boky/postfix; exported for the Postfix construct, which takes its relaxations' reasons from it. */
export const POSTFIX_RUNTIME = {
  // https://github.com/bokysan/docker-postfix/blob/v5.1.0/Dockerfile (Debian trixie-slim for the plain
  // tag, USER root, EXPOSE 587), scripts/run.sh (set -e) + scripts/functions.sh, configs/master.cf
  // (smtp 25 and submission 587, chroot column 'n' for every service), configs/supervisord.conf.
  source: 'github.com/bokysan/docker-postfix@v5.1.0: Dockerfile, scripts/run.sh, scripts/functions.sh, configs/master.cf',
  user: { uid: 0, gid: 0 },
  startsAsRoot: { reason: "run.sh chowns the queue and edits root-owned config before supervisord starts Postfix's master as root, which drops each service to the postfix user" },
  changesImageFiles: {
    // chmod +x /scripts/*.sh; ln -snf /etc/localtime and /etc/timezone (TZ); sed -i /etc/rsyslog.conf and
    // /etc/opendkim/opendkim.conf (LogWhy, every start); chown root of Postfix's daemon_directory.
    paths: ['/scripts', '/etc/localtime', '/etc/timezone', '/etc/rsyslog.conf', '/etc/opendkim/opendkim.conf', '/usr/lib/postfix/sbin'],
    reason: 'run.sh (set -e) makes its scripts executable, links /etc/localtime for TZ, edits /etc/rsyslog.conf and /etc/opendkim/opendkim.conf in place and chowns the daemon directory',
  },
  writablePaths: [
    // /etc/postfix may be an empty volume: setup_conf copies /etc/postfix.template into it.
    { path: '/etc/postfix' }, { path: '/var/spool/postfix' }, { path: '/var/lib/postfix' }, { path: '/run' }, { path: '/tmp' },
  ],
  capabilities: {
    // No SYS_CHROOT: the image's master.cf runs no service chrooted.
    names: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'NET_BIND_SERVICE', 'SETGID', 'SETUID'],
    reason: 'run.sh and postfix set-permissions chown and chmod the queue (CHOWN, FOWNER, FSETID, DAC_OVERRIDE), the master binds 25/587 (NET_BIND_SERVICE), switches services to the postfix user (SETUID, SETGID) and signals them (KILL)',
  },
  ports: [{ port: 25 }, { port: 587 }],
} satisfies ImageRuntime;

/** Servarr images of home-operations: same layout, one port each (`<APP>__SERVER__PORT`, wiki.servarr.com "environment variables for config"). */
function servarr(app: 'sonarr' | 'radarr' | 'prowlarr', port: number): ImageRuntime {
  return {
    // https://github.com/home-operations/containers/blob/main/apps/<app>/Dockerfile (USER nobody:nogroup,
    // VOLUME /config) and entrypoint.sh (--data=/config); README "Rootless": read-only root with /tmp.
    source: `github.com/home-operations/containers: apps/${app}/Dockerfile, apps/${app}/entrypoint.sh, README.md`,
    user: { uid: 65534, gid: 65534 },
    writablePaths: [{ path: '/config' }, { path: '/tmp' }],
    ports: [{ port, env: `${app.toUpperCase()}__SERVER__PORT` }],
  };
}

export const IMAGE_FACTS: Readonly<Record<string, ImageRuntime>> = {
  'boky/postfix': POSTFIX_RUNTIME,
  'vaultwarden/server': {
    // https://github.com/dani-garcia/vaultwarden/blob/1.37.2/docker/Dockerfile.debian (no USER, ROCKET_PORT=80,
    // VOLUME /data), docker/start.sh (sources /etc/vaultwarden.sh, execs), src/config.rs (everything,
    // tmp included, under DATA_FOLDER).
    source: 'github.com/dani-garcia/vaultwarden@1.37.2: docker/Dockerfile.debian, docker/start.sh, src/config.rs',
    user: { uid: 0, gid: 0 },
    writablePaths: [{ path: '/data', env: 'DATA_FOLDER' }],
    ports: [{ port: 80, env: 'ROCKET_PORT' }],
  },
  'ghcr.io/jellyfin/jellyfin': {
    // https://github.com/jellyfin/jellyfin-packaging/blob/v10.11.6-202601182003/docker/Dockerfile (no USER,
    // /config and /cache chmod 777, JELLYFIN_DATA_DIR / JELLYFIN_CACHE_DIR, EXPOSE 8096); HTTPS 8920
    // and client discovery 7359/udp are Jellyfin's network defaults.
    source: 'github.com/jellyfin/jellyfin-packaging@v10.11.6-202601182003: docker/Dockerfile',
    user: { uid: 0, gid: 0 },
    writablePaths: [{ path: '/config', env: 'JELLYFIN_DATA_DIR' }, { path: '/cache', env: 'JELLYFIN_CACHE_DIR' }, { path: '/tmp' }],
    ports: [{ port: 8096 }, { port: 8920 }, { port: 7359, protocol: 'UDP' }],
  },
  'ghcr.io/home-operations/sonarr': servarr('sonarr', 8989),
  'ghcr.io/home-operations/radarr': servarr('radarr', 7878),
  'ghcr.io/home-operations/prowlarr': servarr('prowlarr', 9696),
  'ghcr.io/home-operations/qbittorrent': {
    // https://github.com/home-operations/containers/blob/main/apps/qbittorrent/Dockerfile (USER nobody:nogroup,
    // HOME/XDG dirs /config), entrypoint.sh (writes /config/qBittorrent), defaults/qBittorrent.conf
    // (WebUI 8080, Session\Port 50413); qbittorrent-nox reads QBT_WEBUI_PORT / QBT_TORRENTING_PORT.
    source: 'github.com/home-operations/containers: apps/qbittorrent/Dockerfile, entrypoint.sh, defaults/qBittorrent.conf',
    user: { uid: 65534, gid: 65534 },
    writablePaths: [{ path: '/config' }, { path: '/tmp' }],
    ports: [{ port: 8080, env: 'QBT_WEBUI_PORT' }, { port: 50413, env: 'QBT_TORRENTING_PORT' }, { port: 50413, protocol: 'UDP', env: 'QBT_TORRENTING_PORT' }],
  },
  'fallenbagel/jellyseerr': {
    // https://github.com/fallenbagel/jellyseerr/blob/v2.7.3/Dockerfile (node:22-alpine, no USER, tini,
    // CMD pnpm start, EXPOSE 5055); server/index.ts (PORT), server/datasource.ts and
    // server/lib/imageproxy.ts (config, database and image cache under CONFIG_DIRECTORY, default
    // /app/config); Next.js keeps its cache in /app/.next/cache.
    source: 'github.com/fallenbagel/jellyseerr@v2.7.3: Dockerfile, server/index.ts, server/datasource.ts',
    user: { uid: 0, gid: 0 },
    writablePaths: [{ path: '/app/config', env: 'CONFIG_DIRECTORY' }, { path: '/app/.next/cache' }],
    ports: [{ port: 5055, env: 'PORT' }],
  },
  'n8nio/n8n': {
    // https://github.com/n8n-io/n8n/blob/master/docker/images/n8n/Dockerfile (USER node, WORKDIR /home/node,
    // EXPOSE 5678/tcp) and docker-entrypoint.sh (execs n8n, no chown).
    source: 'github.com/n8n-io/n8n: docker/images/n8n/Dockerfile, docker/images/n8n/docker-entrypoint.sh',
    user: { uid: 1000, gid: 1000 },
    writablePaths: [{ path: '/home/node/.n8n' }, { path: '/home/node/.cache' }, { path: '/tmp' }],
    ports: [{ port: 5678, env: 'N8N_PORT' }],
  },
  nextcloud: {
    // https://github.com/nextcloud/docker/blob/master/34/apache/Dockerfile (no USER, VOLUME /var/www/html)
    // and entrypoint.sh: as root it rsyncs the code with --chown www-data and Apache drops to
    // www-data; it also runs unprivileged. It writes redis-session.ini into PHP's conf.d (REDIS_HOST)
    // and disables Apache's remoteip conf (APACHE_DISABLE_REWRITE_IP).
    source: 'github.com/nextcloud/docker: 34/apache/Dockerfile, 34/apache/entrypoint.sh',
    user: { uid: 0, gid: 0 },
    changesImageFiles: {
      paths: ['/usr/local/etc/php/conf.d', '/etc/apache2/conf-enabled'],
      reason: 'the entrypoint writes /usr/local/etc/php/conf.d/redis-session.ini and runs a2disconf remoteip',
    },
    writablePaths: [{ path: '/var/www/html' }, { path: '/var/run/apache2' }, { path: '/var/lock/apache2' }, { path: '/tmp' }],
    capabilities: {
      names: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'KILL', 'NET_BIND_SERVICE', 'SETGID', 'SETUID'],
      reason: 'as root, rsync --chown needs CHOWN/FOWNER/DAC_OVERRIDE, Apache binds 80, switches to www-data (SETUID/SETGID) and signals its workers (KILL)',
      onlyAsRoot: true,
    },
    ports: [{ port: 80 }],
  },
  'quay.io/keycloak/keycloak': {
    // https://github.com/keycloak/keycloak quarkus/container/Dockerfile, read as of 22.0.11 (USER 1000, group 0,
    // EXPOSE 8080 8443, ENTRYPOINT kc.sh); management interface on 9000 since Keycloak 25; a start
    // without --optimized (and `kc.sh build`) writes lib/quarkus, the server writes data/.
    source: 'github.com/keycloak/keycloak: quarkus/container/Dockerfile',
    user: { uid: 1000, gid: 0 },
    writablePaths: [{ path: '/opt/keycloak/data' }, { path: '/opt/keycloak/lib/quarkus' }, { path: '/tmp' }],
    ports: [{ port: 8080, env: 'KC_HTTP_PORT' }, { port: 8443, env: 'KC_HTTPS_PORT' }, { port: 9000, env: 'KC_HTTP_MANAGEMENT_PORT' }, { port: 7800 }, { port: 57800 }],
  },
  'bitnamilegacy/openldap': {
    // https://github.com/bitnami/containers bitnami/openldap/2.6/debian-12/Dockerfile, read as of 2.6.10-debian-12-r1 (USER 1001,
    // EXPOSE 1389 1636), rootfs/opt/bitnami/scripts/openldap/postunpack.sh (setcap
    // CAP_NET_BIND_SERVICE=+eip on slapd), rootfs/opt/bitnami/scripts/libopenldap.sh (LDIF into
    // share/, pid and ldapi socket under var/run, data and slapd.d under /bitnami/openldap).
    source: 'github.com/bitnami/containers: bitnami/openldap/2.6/debian-12 Dockerfile, postunpack.sh, libopenldap.sh',
    user: { uid: 1001, gid: 0 },
    writablePaths: [{ path: '/bitnami/openldap' }, { path: '/opt/bitnami/openldap/share' }, { path: '/opt/bitnami/openldap/var/run' }],
    capabilities: { names: ['NET_BIND_SERVICE'], reason: 'slapd carries the file capability cap_net_bind_service; exec fails if it is not in the bounding set' },
    ports: [{ port: 1389, env: 'LDAP_PORT_NUMBER' }, { port: 1636, env: 'LDAP_LDAPS_PORT_NUMBER' }],
  },
  'nginxinc/nginx-unprivileged': {
    // https://github.com/nginxinc/docker-nginx-unprivileged mainline/alpine Dockerfile (UID 101, listen 8080,
    // pid and temp paths moved to /tmp); entrypoint/10-listen-on-ipv6-by-default.sh skips a read-only
    // default.conf, 20-envsubst-on-templates.sh runs only with templates.
    source: 'github.com/nginxinc/docker-nginx-unprivileged: mainline/alpine/Dockerfile, entrypoint/*.sh',
    user: { uid: 101, gid: 101 },
    writablePaths: [{ path: '/tmp' }],
    ports: [{ port: 8080 }],
  },
  'traefik/whoami': {
    // https://github.com/traefik/whoami/blob/v1.11.0/Dockerfile (FROM scratch, no USER, EXPOSE 80) and
    // app.go (--port, default WHOAMI_PORT_NUMBER or 80); writes nothing.
    source: 'github.com/traefik/whoami@v1.11.0: Dockerfile, app.go',
    user: { uid: 0, gid: 0 },
    ports: [{ port: 80, flag: '--port', env: 'WHOAMI_PORT_NUMBER' }],
  },
  'grafana/grafana': {
    // https://github.com/grafana/grafana/blob/main/Dockerfile (GF_UID 472, GF_GID 0, data/logs/plugins
    // chmod 777) and packaging/docker/run.sh (needs GF_PATHS_DATA writable, creates the plugins dir).
    source: 'github.com/grafana/grafana: Dockerfile, packaging/docker/run.sh',
    user: { uid: 472, gid: 0 },
    writablePaths: [{ path: '/var/lib/grafana', env: 'GF_PATHS_DATA' }, { path: '/var/log/grafana', env: 'GF_PATHS_LOGS' }, { path: '/tmp' }],
    ports: [{ port: 3000, env: 'GF_SERVER_HTTP_PORT' }],
  },
  'ghcr.io/immich-app/immich-server': {
    // Read at v3.1.0: server/Dockerfile (final stage on base-server-prod, itself node:*-trixie-slim with no
    // USER: root unless the pod says otherwise; VOLUME /data, EXPOSE 2283, tini then start.sh), server/bin/
    // start.sh (exports LD_PRELOAD and secrets read from *_FILE, then execs node: no chown, no file edits),
    // server/bin/immich-healthcheck (GET /api/server/ping on IMMICH_PORT). docker-compose.rootless.yml and
    // the FAQ run it as 1000:1000; media under IMMICH_MEDIA_LOCATION (/data). environment-variables.md:
    // IMMICH_PORT moves 2283; OTEL metrics on 8081 (api) and 8082 (microservices) when telemetry is on.
    source: 'github.com/immich-app/immich@v3.1.0: server/Dockerfile, server/bin/start.sh, server/bin/immich-healthcheck, docs/docs/install/environment-variables.md, docs/docs/FAQ.mdx; github.com/immich-app/base-images: server/Dockerfile',
    user: { uid: 0, gid: 0 },
    writablePaths: [{ path: '/data', env: 'IMMICH_MEDIA_LOCATION' }, { path: '/tmp' }],
    ports: [{ port: 2283, env: 'IMMICH_PORT' }, { port: 8081, env: 'IMMICH_API_METRICS_PORT' }, { port: 8082, env: 'IMMICH_MICROSERVICES_METRICS_PORT' }],
  },
  'ghcr.io/immich-app/immich-machine-learning': {
    // Read at v3.1.0: machine-learning/Dockerfile (python slim, no USER, tini then `python -m immich_ml`,
    // MACHINE_LEARNING_CACHE_FOLDER=/cache), immich_ml/__main__.py (gunicorn bound to IMMICH_HOST:IMMICH_PORT,
    // default 3003, control socket off), scripts/healthcheck.py (GET /ping). The FAQ's rootless setup also
    // mounts /.cache and /.config: a uid without a passwd entry has HOME=/, and libraries cache there.
    source: 'github.com/immich-app/immich@v3.1.0: machine-learning/Dockerfile, machine-learning/immich_ml/__main__.py, machine-learning/immich_ml/config.py, machine-learning/scripts/healthcheck.py, docs/docs/FAQ.mdx',
    user: { uid: 0, gid: 0 },
    writablePaths: [{ path: '/cache', env: 'MACHINE_LEARNING_CACHE_FOLDER' }, { path: '/.cache' }, { path: '/.config' }, { path: '/tmp' }],
    ports: [{ port: 3003, env: 'IMMICH_PORT' }],
  },
  'ghcr.io/home-operations/home-assistant': {
    // https://github.com/home-operations/containers apps/home-assistant, read with homeassistant 2026.8.3:
    // Dockerfile (USER nobody:nogroup, HOME=/config, VENV_FOLDER=/config/.venv, PYTHONDONTWRITEBYTECODE,
    // catatonit then entrypoint.sh), entrypoint.sh (creates the venv under /config, links the log file in
    // /config, execs `python3 -m homeassistant --config /config`), container_test.go (HTTP 200 on 8123).
    // The port is http.server_port in configuration.yaml: no variable or flag moves it.
    source: 'github.com/home-operations/containers: apps/home-assistant/Dockerfile, entrypoint.sh, docker-bake.hcl (2026.8.3), container_test.go, README.md',
    user: { uid: 65534, gid: 65534 },
    writablePaths: [{ path: '/config' }, { path: '/tmp' }],
    ports: [{ port: 8123 }],
  },
  'ghcr.io/paperless-ngx/paperless-ngx': {
    // Read at v3.0.5: Dockerfile (no USER, so root by default; a paperless user 1000:1000 owns
    // /usr/src/paperless; /run and /var/cache/fontconfig made world-writable and s6-overlay-suexec's setuid
    // bit removed so any uid can run it; ENTRYPOINT /init, EXPOSE 8000), docker/rootfs s6-rc.d init-start
    // (a non-root start skips every usermod/chown step), init-folders (mkdir only as non-root),
    // svc-webserver (granian on GRANIAN_PORT, else PAPERLESS_PORT, default 8000); docs/setup.md "Rootless";
    // src/paperless/settings (data, media, consume dirs and their variables, scratch under the temp dir).
    // s6-overlay v3.2.2.0 libexec/preinit: /run must be writable (read-only root: an emptyDir there, with
    // S6_READ_ONLY_ROOT=1), and a root-owned world-writable /run as a non-root user needs
    // S6_YES_I_WANT_A_WORLD_WRITABLE_RUN_BECAUSE_KUBERNETES=1.
    source: 'github.com/paperless-ngx/paperless-ngx@v3.0.5: Dockerfile, docker/rootfs/etc/s6-overlay/s6-rc.d/*/run, docs/setup.md, src/paperless/settings/__init__.py; github.com/just-containers/s6-overlay@v3.2.2.0: libexec/preinit, README.md',
    user: { uid: 0, gid: 0 },
    writablePaths: [
      { path: '/run' },
      { path: '/usr/src/paperless/data', env: 'PAPERLESS_DATA_DIR' },
      { path: '/usr/src/paperless/media', env: 'PAPERLESS_MEDIA_ROOT' },
      { path: '/usr/src/paperless/consume', env: 'PAPERLESS_CONSUMPTION_DIR' },
      { path: '/tmp/paperless', env: 'PAPERLESS_SCRATCH_DIR' },
      { path: '/var/cache/fontconfig' },
    ],
    ports: [{ port: 8000, env: 'PAPERLESS_PORT' }],
  },
  // Platform images (their constructs render pods themselves; the facts are here for one table).
  redis: {
    // https://github.com/redis/docker-library-redis alpine/Dockerfile, read on branch release/8.0 (redis uid 999, gid 1000 on Alpine,
    // WORKDIR/VOLUME /data, EXPOSE 6379) and alpine/docker-entrypoint.sh (chown + gosu only as root).
    source: 'github.com/redis/docker-library-redis: alpine/Dockerfile, alpine/docker-entrypoint.sh',
    user: { uid: 0, gid: 0 },
    writablePaths: [{ path: '/data' }],
    ports: [{ port: 6379 }],
  },
  influxdb: {
    // https://github.com/influxdata/influxdata-docker/blob/master/influxdb/2.7/Dockerfile (influxdb uid/gid
    // 1000, VOLUME /var/lib/influxdb2 /etc/influxdb2, EXPOSE 8086) and entrypoint.sh (chown + gosu
    // only as root; the setup phase listens on INFLUXD_INIT_PORT 9999 on localhost).
    source: 'github.com/influxdata/influxdata-docker: influxdb/2.7/Dockerfile, influxdb/2.7/entrypoint.sh',
    user: { uid: 0, gid: 0 },
    writablePaths: [{ path: '/var/lib/influxdb2' }, { path: '/etc/influxdb2' }],
    ports: [{ port: 8086 }],
  },
};
