#!/usr/bin/env bash
#
# Crypto material from the Fabric CA servers of ../compose/compose-ca.yaml, like
# fabric-samples' registerEnroll.sh, for `scripts/network.sh up -ca`. Sourced, never
# run; needs ../scripts/utils.sh and ../scripts/envvar.sh.
#
# Every org's CA registers and enrols its peer, its admin (Admin@<domain>) and the
# users of network/devnet/config/default.yaml. Users carry the attributes the
# warrant chaincode reads from their certificates (DESIGN R1, R2):
#   scf.entity  the enterprise's unified social credit code
#   scf.role    comma-separated roles; a role counts only in the right org:
#               issuer -> CoreEnterpriseMSP; custodian, financier -> BankMSP;
#               verifier, registrar, regulator, admin -> AssociationMSP; holder -> any
# The ":ecert" suffix puts each attribute into the enrolment certificate. The
# `registerUser` lines below are checked against default.yaml by the tests of
# network/fabric. Secrets are "<name>pw": this is a test network.
#
# The layout matches cryptogen's and the embedded dev network's:
# organizations/peerOrganizations/<domain>/users/<Name>@<domain>/msp with
# signcerts/cert.pem and keystore/priv_sk.

ORDERER_CA_NAME=ca-orderer

# caServerCert <ca dir> prints the root certificate a CA server wrote at startup;
# it is also the root of the server's TLS certificate.
caServerCert() { printf '%s\n' "${ORGS_DIR}/fabric-ca/$1/ca-cert.pem"; }

# waitForCA <ca dir> <port> <ca name> waits until the CA server answers.
waitForCA() {
  local dir=$1 port=$2 name=$3
  infoln "Waiting for ${name} on localhost:${port}"
  retry "$MAX_RETRY" "$CLI_DELAY" test -f "$(caServerCert "$dir")" ||
    fatalln "${name} wrote no $(caServerCert "$dir")"
  retry "$MAX_RETRY" "$CLI_DELAY" fabric-ca-client getcainfo -u "https://localhost:${port}" --caname "$name" \
    --tls.certfiles "$(caServerCert "$dir")" -H "$(mktemp -d)" >/dev/null ||
    fatalln "${name} does not answer on localhost:${port}"
}

# writeNodeOUs <msp dir> <cacert file name> enables NodeOUs (client, peer, admin,
# orderer) in an MSP whose CA certificate is cacerts/<cacert file name>.
writeNodeOUs() {
  local ou
  {
    echo "NodeOUs:"
    echo "  Enable: true"
    for ou in Client Peer Admin Orderer; do
      echo "  ${ou}OUIdentifier:"
      echo "    Certificate: cacerts/$2"
      echo "    OrganizationalUnitIdentifier: ${ou,,}"
    done
  } >"$1/config.yaml"
}

# normalizeMSP <msp dir> <config.yaml> copies the NodeOUs config into an enrolled
# MSP and names its private key keystore/priv_sk.
normalizeMSP() {
  local key
  cp "$2" "$1/config.yaml"
  for key in "$1"/keystore/*_sk; do
    if [[ -f "$key" ]]; then
      mv "$key" "$1/keystore/priv_sk"
    fi
  done
}

# enrollTLS <url> <ca name> <ca cert> <tls dir> <host> enrols a TLS certificate for
# host, localhost and 127.0.0.1 and copies it to ca.crt, server.crt and server.key.
enrollTLS() {
  fabric-ca-client enroll -u "$1" --caname "$2" --tls.certfiles "$3" -M "$4" \
    --enrollment.profile tls --csr.hosts "$5" --csr.hosts localhost --csr.hosts 127.0.0.1
  cp "$4"/tlscacerts/* "$4/ca.crt"
  cp "$4"/signcerts/* "$4/server.crt"
  cp "$4"/keystore/* "$4/server.key"
}

# enrollOrgCAAdmin <org dir> <port> <ca name> <ca cert> enrols the CA's bootstrap
# admin (the registrar) into the org's directory, writes the org's MSP and NodeOUs
# config and copies the CA root to msp/tlscacerts, tlsca/ and ca/.
enrollOrgCAAdmin() {
  local orgDir=$1 port=$2 name=$3 caCert=$4 domain
  domain=$(basename "$orgDir")
  mkdir -p "$orgDir"
  export FABRIC_CA_CLIENT_HOME="$orgDir"
  fabric-ca-client enroll -u "https://admin:adminpw@localhost:${port}" --caname "$name" --tls.certfiles "$caCert" ||
    fatalln "cannot enrol the bootstrap admin of ${name}"
  writeNodeOUs "${orgDir}/msp" "localhost-${port}-${name}.pem"
  mkdir -p "${orgDir}/msp/tlscacerts" "${orgDir}/tlsca" "${orgDir}/ca"
  cp "$caCert" "${orgDir}/msp/tlscacerts/tlsca.${domain}-cert.pem"
  cp "$caCert" "${orgDir}/tlsca/tlsca.${domain}-cert.pem"
  cp "$caCert" "${orgDir}/ca/ca.${domain}-cert.pem"
}

# registerUser <org> <name> <scf.entity> <scf.role> registers a client identity
# whose enrolment certificate carries scf.entity and scf.role, and enrols it into
# users/<name>@<domain>/msp.
registerUser() {
  local org=$1 name=$2 entity=$3 roles=$4 domain port caName caCert mspDir
  domain=$(orgField "$org" domain)
  port=$(orgField "$org" caPort)
  caName=$(orgField "$org" caName)
  caCert=$(caServerCert "$org")
  mspDir="${ORGS_DIR}/peerOrganizations/${domain}/users/${name}@${domain}/msp"
  infoln "Registering ${name}@${domain}: scf.entity=${entity} scf.role=${roles}"
  # The double quotes keep the comma-separated roles one attribute value.
  fabric-ca-client register --caname "$caName" --id.name "$name" --id.secret "${name}pw" --id.type client \
    --id.attrs "scf.entity=${entity}:ecert" --id.attrs "\"scf.role=${roles}:ecert\"" \
    --tls.certfiles "$caCert" || fatalln "cannot register ${name} with ${caName}"
  fabric-ca-client enroll -u "https://${name}:${name}pw@localhost:${port}" --caname "$caName" \
    -M "$mspDir" --tls.certfiles "$caCert" || fatalln "cannot enrol ${name} with ${caName}"
  normalizeMSP "$mspDir" "${ORGS_DIR}/peerOrganizations/${domain}/msp/config.yaml"
}

# registerSystem <org> <name> registers an admin-type identity for one of the org's
# own systems that read full blocks (its ERP), with no scf attributes: it acts for
# no enterprise. An org whose CA enrols outside parties as clients names only its
# admins and peers in its BlockReaders policy (../configtx/configtx.yaml), and
# Fabric's policies tell identities apart by role alone.
registerSystem() {
  local org=$1 name=$2 domain port caName caCert mspDir
  domain=$(orgField "$org" domain)
  port=$(orgField "$org" caPort)
  caName=$(orgField "$org" caName)
  caCert=$(caServerCert "$org")
  mspDir="${ORGS_DIR}/peerOrganizations/${domain}/users/${name}@${domain}/msp"
  infoln "Registering ${name}@${domain}: an admin-type identity that reads blocks"
  fabric-ca-client register --caname "$caName" --id.name "$name" --id.secret "${name}pw" --id.type admin \
    --tls.certfiles "$caCert" || fatalln "cannot register ${name} with ${caName}"
  fabric-ca-client enroll -u "https://${name}:${name}pw@localhost:${port}" --caname "$caName" \
    -M "$mspDir" --tls.certfiles "$caCert" || fatalln "cannot enrol ${name} with ${caName}"
  normalizeMSP "$mspDir" "${ORGS_DIR}/peerOrganizations/${domain}/msp/config.yaml"
}

# createPeerOrg <org> creates the MSP, peer0 and Admin of a peer organisation.
createPeerOrg() {
  local org=$1 domain port caName caCert orgDir peerDir
  domain=$(orgField "$org" domain)
  port=$(orgField "$org" caPort)
  caName=$(orgField "$org" caName)
  caCert=$(caServerCert "$org")
  orgDir="${ORGS_DIR}/peerOrganizations/${domain}"
  peerDir="${orgDir}/peers/peer0.${domain}"
  infoln "Creating the identities of $(orgField "$org" msp) with ${caName}"
  waitForCA "$org" "$port" "$caName"
  enrollOrgCAAdmin "$orgDir" "$port" "$caName" "$caCert"

  fabric-ca-client register --caname "$caName" --id.name peer0 --id.secret peer0pw --id.type peer \
    --tls.certfiles "$caCert" || fatalln "cannot register peer0 with ${caName}"
  fabric-ca-client register --caname "$caName" --id.name "${org}admin" --id.secret "${org}adminpw" --id.type admin \
    --tls.certfiles "$caCert" || fatalln "cannot register the admin with ${caName}"

  fabric-ca-client enroll -u "https://peer0:peer0pw@localhost:${port}" --caname "$caName" \
    -M "${peerDir}/msp" --tls.certfiles "$caCert" || fatalln "cannot enrol peer0.${domain}"
  normalizeMSP "${peerDir}/msp" "${orgDir}/msp/config.yaml"
  enrollTLS "https://peer0:peer0pw@localhost:${port}" "$caName" "$caCert" "${peerDir}/tls" "peer0.${domain}" ||
    fatalln "cannot enrol the TLS certificate of peer0.${domain}"

  fabric-ca-client enroll -u "https://${org}admin:${org}adminpw@localhost:${port}" --caname "$caName" \
    -M "${orgDir}/users/Admin@${domain}/msp" --tls.certfiles "$caCert" || fatalln "cannot enrol Admin@${domain}"
  normalizeMSP "${orgDir}/users/Admin@${domain}/msp" "${orgDir}/msp/config.yaml"
}

# createCoreEnterprise creates CoreEnterpriseMSP: Huaxin Electronics' finance user.
createCoreEnterprise() {
  createPeerOrg core
  registerUser core User1 9144030052601815XN issuer,attestor
}

# createBank creates BankMSP: Qianhai Cooperative Bank, custodian and financier,
# and a holder when it factors a warrant.
createBank() {
  createPeerOrg bank
  registerUser bank User1 914403007865797541 custodian,financier,holder,paymentbank
}

# createAssociation creates AssociationMSP: the association's operator, the
# suppliers it enrols (they hold warrants but run no peer) and its ERP, which reads
# full blocks.
createAssociation() {
  createPeerOrg assoc
  registerUser assoc User1 51440300MJL4323104 verifier,registrar,regulator,admin
  registerUser assoc Jinggong 91440300908301663N holder
  registerUser assoc JinggongTrading 91440300518190937Y holder
  registerUser assoc Lianchuang 91441900131860916B holder
  registerUser assoc Hengda 914413003909960334 holder
  registerUser assoc Shengtong 92440300082462814A holder
  registerUser assoc Yongsheng 91442000948219939P holder
  registerUser assoc Shulian 914403007362810444 attestor
  registerSystem assoc ERP
}

# createBank2 creates Bank2MSP of the consortium: Nanshan Commercial Bank, custodian,
# financier and paying bank (added by scripts/network.sh native addOrg bank2).
createBank2() {
  createPeerOrg bank2
  registerUser bank2 User1 914403002794183661 custodian,financier,holder,paymentbank
}

# createCoreEnterprise2 creates CoreEnterprise2MSP of the consortium: Pengcheng Auto
# Parts' finance user (added by scripts/network.sh native addOrg core2).
createCoreEnterprise2() {
  createPeerOrg core2
  registerUser core2 User1 9144190093158274XB issuer,attestor
}

# createOrderer creates OrdererMSP: orderer.example.com and Admin@example.com.
createOrderer() {
  local caCert orgDir ordererDir
  caCert=$(caServerCert ordererOrg)
  orgDir="${ORGS_DIR}/ordererOrganizations/example.com"
  ordererDir="${orgDir}/orderers/${ORDERER_HOST}"
  infoln "Creating the identities of OrdererMSP with ${ORDERER_CA_NAME}"
  waitForCA ordererOrg "$ORDERER_CA_PORT" "$ORDERER_CA_NAME"
  enrollOrgCAAdmin "$orgDir" "$ORDERER_CA_PORT" "$ORDERER_CA_NAME" "$caCert"

  fabric-ca-client register --caname "$ORDERER_CA_NAME" --id.name orderer --id.secret ordererpw --id.type orderer \
    --tls.certfiles "$caCert" || fatalln "cannot register the orderer"
  fabric-ca-client register --caname "$ORDERER_CA_NAME" --id.name ordererAdmin --id.secret ordererAdminpw --id.type admin \
    --tls.certfiles "$caCert" || fatalln "cannot register the orderer admin"

  fabric-ca-client enroll -u "https://orderer:ordererpw@localhost:${ORDERER_CA_PORT}" --caname "$ORDERER_CA_NAME" \
    -M "${ordererDir}/msp" --tls.certfiles "$caCert" || fatalln "cannot enrol ${ORDERER_HOST}"
  normalizeMSP "${ordererDir}/msp" "${orgDir}/msp/config.yaml"
  enrollTLS "https://orderer:ordererpw@localhost:${ORDERER_CA_PORT}" "$ORDERER_CA_NAME" "$caCert" "${ordererDir}/tls" "$ORDERER_HOST" ||
    fatalln "cannot enrol the TLS certificate of ${ORDERER_HOST}"
  mkdir -p "${ordererDir}/msp/tlscacerts"
  cp "${ordererDir}"/tls/tlscacerts/* "${ordererDir}/msp/tlscacerts/tlsca.example.com-cert.pem"

  fabric-ca-client enroll -u "https://ordererAdmin:ordererAdminpw@localhost:${ORDERER_CA_PORT}" --caname "$ORDERER_CA_NAME" \
    -M "${orgDir}/users/Admin@example.com/msp" --tls.certfiles "$caCert" || fatalln "cannot enrol Admin@example.com"
  normalizeMSP "${orgDir}/users/Admin@example.com/msp" "${orgDir}/msp/config.yaml"
}

# createOrgsWithCA creates the crypto material of all four orgs with their CAs.
createOrgsWithCA() {
  createCoreEnterprise
  createBank
  createAssociation
  createOrderer
}
