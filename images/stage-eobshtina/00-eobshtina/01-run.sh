#!/bin/bash -e
# pi-gen substage: install the e-Obshtina terminal software into a venv, the systemd units,
# udev rules, users and the first-boot service. Runs on the build host; ROOTFS_DIR is the image.
#
# Before running pi-gen, build the wheels for the target (aarch64, Python 3.11) into
# images/stage-eobshtina/00-eobshtina/files/wheels/ — see images/README.md. The image is
# installed offline from those wheels: what was tested is what ships.

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "${HERE}/../../.." && pwd)"
WHEELS="${EOBSHTINA_WHEELS:-${HERE}/files/wheels}"

if ! ls "${WHEELS}"/eobshtina_terminals-*.whl >/dev/null 2>&1; then
	echo "01-run.sh: no eobshtina_terminals wheel in ${WHEELS}; see images/README.md" >&2
	exit 1
fi

# Software: a venv under /opt so the system Python stays Debian's.
install -d -m 755 "${ROOTFS_DIR}/opt/eobshtina/wheels"
install -m 644 "${WHEELS}"/*.whl "${ROOTFS_DIR}/opt/eobshtina/wheels/"
install -m 644 "${REPO}/README.md" "${ROOTFS_DIR}/opt/eobshtina/README.md"

# systemd units, users, directories, device rules.
install -d -m 755 "${ROOTFS_DIR}/etc/systemd/system" "${ROOTFS_DIR}/etc/sysusers.d" \
	"${ROOTFS_DIR}/etc/tmpfiles.d" "${ROOTFS_DIR}/etc/udev/rules.d" "${ROOTFS_DIR}/etc/modprobe.d" \
	"${ROOTFS_DIR}/usr/local/lib/eobshtina" "${ROOTFS_DIR}/etc/eobshtina" "${ROOTFS_DIR}/etc/sysctl.d"
install -m 644 "${REPO}"/systemd/system/*.service "${ROOTFS_DIR}/etc/systemd/system/"
install -m 644 "${REPO}/systemd/sysusers.d/eobshtina.conf" "${ROOTFS_DIR}/etc/sysusers.d/"
install -m 644 "${REPO}/systemd/tmpfiles.d/eobshtina.conf" "${ROOTFS_DIR}/etc/tmpfiles.d/"
install -m 644 "${REPO}/systemd/udev/70-eobshtina.rules" "${ROOTFS_DIR}/etc/udev/rules.d/"
install -m 755 "${HERE}/files/eobshtina-firstboot" "${ROOTFS_DIR}/usr/local/lib/eobshtina/"
# escpos talks to USB printers itself; the usblp driver would hold the interface.
echo "blacklist usblp" > "${ROOTFS_DIR}/etc/modprobe.d/eobshtina-usblp.conf"
# The boot partition (FAT) carries the one-time enrolment code until first boot: root only.
sed -i -E 's#^(\S+\s+/boot/firmware\s+vfat\s+)defaults(\s)#\1defaults,fmask=0077,dmask=0077\2#' \
	"${ROOTFS_DIR}/etc/fstab"
# polkit: the terminal's user may reboot (maintenance mode) and restart its own units (updates).
install -d -m 755 "${ROOTFS_DIR}/etc/polkit-1/rules.d"
install -m 644 "${REPO}/systemd/polkit/50-eobshtina.rules" "${ROOTFS_DIR}/etc/polkit-1/rules.d/"
# Lockdown: no reboot on Ctrl+Alt+Del from a keyboard or keypad, no magic SysRq keys.
echo "kernel.sysrq = 0" > "${ROOTFS_DIR}/etc/sysctl.d/90-eobshtina-lockdown.conf"
ln -sfn /dev/null "${ROOTFS_DIR}/etc/systemd/system/ctrl-alt-del.target"
# The example first-boot files, for the technician.
install -m 644 "${REPO}"/images/examples/*.toml "${ROOTFS_DIR}/usr/local/lib/eobshtina/"

on_chroot << CHROOT
set -e
systemd-sysusers
systemd-tmpfiles --create /etc/tmpfiles.d/eobshtina.conf || true
python3 -m venv /opt/eobshtina/venv
/opt/eobshtina/venv/bin/pip install --no-index --find-links /opt/eobshtina/wheels eobshtina-terminals
# speech-dispatcher's Python client is Debian's (python3-speechd, not a wheel): let the venv see
# that one package, not the whole system site-packages.
SITE=\$(/opt/eobshtina/venv/bin/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
ln -sfn /usr/lib/python3/dist-packages/speechd "\$SITE/speechd"
/opt/eobshtina/venv/bin/python -c 'import speechd'
/opt/eobshtina/venv/bin/kiosk --help > /dev/null
/opt/eobshtina/venv/bin/sync-agent --help > /dev/null
/opt/eobshtina/venv/bin/feedback-terminal --help > /dev/null
rm -rf /opt/eobshtina/wheels

# Only first boot is enabled here; it enables the kiosk or the feedback terminal by role.
systemctl enable eobshtina-firstboot.service
systemctl enable chrony.service
# The Pi has no RTC: keep the last known time across reboots (fake-hwclock is in Raspberry Pi OS).
systemctl enable fake-hwclock.service || true
# A kiosk shows no console login; technicians use maintenance mode or SSH keys.
systemctl set-default graphical.target
CHROOT
