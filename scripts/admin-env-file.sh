#!/usr/bin/env bash
# Prints where ensure-mariadb.sh keeps the broker's MariaDB admin account for this machine user.
echo "${XDG_CONFIG_HOME:-$HOME/.config}/servicepack/mysql-admin.env"
