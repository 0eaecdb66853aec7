/**
 * Every error code the API returns, with its HTTP status and how to solve it.
 * Codes are stable: scripts depend on them. docs/errors.md is generated from
 * this list (`npm run docs`) and a test checks that it is current.
 */
export const ERROR_CATALOGUE = {
  UNAUTHENTICATED: {
    status: 401,
    title: 'No valid API token',
    solution:
      'Send `Authorization: Bearer <token>`. Operators create tokens with `goldsmith account create` or `goldsmith account token`.',
  },
  CSRF_TOKEN_INVALID: {
    status: 403,
    title: 'A request signed in by the console session cookie lacks its CSRF token',
    solution:
      'Send the `csrfToken` that `POST /v1/session` (or `GET /v1/session`) returned in the `X-CSRF-Token` header of every request other than GET and HEAD; scripts should send `Authorization: Bearer <token>` instead of the cookie.',
  },
  FORBIDDEN_ROLE: {
    status: 403,
    title: 'The account lacks the role this action needs',
    solution: 'Ask an operator to give the account the role named in the message.',
  },
  VALIDATION_FAILED: {
    status: 400,
    title: 'The request does not match the API schema',
    solution: 'Correct the field named in the message; /openapi.json describes every request.',
  },
  NOT_FOUND: {
    status: 404,
    title: 'No such route',
    solution: 'Check the path against /openapi.json.',
  },
  ACCOUNT_NOT_FOUND: {
    status: 404,
    title: 'No such account',
    solution: 'Check the 12-digit account id with `goldsmith account list`.',
  },
  ACCESS_KEY_NOT_FOUND: {
    status: 404,
    title: 'No such access key in this account',
    solution: 'Check the access key id with `goldsmith access-key list`.',
  },
  ACCESS_KEY_LIMIT_REACHED: {
    status: 409,
    title: 'The account already holds the most access keys allowed',
    solution:
      'Delete an access key you no longer use with `goldsmith access-key delete ID`, then create a new one.',
  },
  PACKAGE_NOT_FOUND: {
    status: 404,
    title: 'No such package in this account',
    solution: 'Upload the file first, or check the package id with `GET /v1/packages`.',
  },
  PACKAGE_GROUP_NOT_FOUND: {
    status: 404,
    title: 'No such package group in this account',
    solution: 'Check the name or id with `goldsmith package-group list`.',
  },
  BUILD_NOT_FOUND: {
    status: 404,
    title: 'No such build in this account',
    solution: 'Check the build id shown by `goldsmith package-group show`.',
  },
  IMAGE_NOT_FOUND: {
    status: 404,
    title: 'No such image in this account',
    solution: 'Check the image id shown on the build.',
  },
  INVALID_WEBHOOK_URL: {
    status: 400,
    title: 'The notification webhook URL is not one Goldsmith will post to',
    solution:
      'Give an absolute `http://` or `https://` URL without a user name or password (at most 2048 characters); receivers check the `x-goldsmith-signature` header instead (docs/webhooks.md).',
  },
  GOLD_IMAGE_INVALID: {
    status: 422,
    title: 'The uploaded gold image is not an archive Goldsmith can import safely',
    solution:
      'Upload a root filesystem tar (plain, gzip, zstd or xz), an OCI archive or a `docker save` archive; the message names what is wrong (unsafe entries such as `..` or absolute paths, not a tar, a digest mismatch).',
  },
  GOLD_IMAGE_OS_UNKNOWN: {
    status: 422,
    title: 'The gold image does not say which OS it holds',
    solution:
      'Include `/etc/os-release` (or `/usr/lib/os-release`) with an `ID=` line; a complete root filesystem has one.',
  },
  GOLD_IMAGE_OS_UNSUPPORTED: {
    status: 422,
    title: 'The gold image holds an OS Goldsmith cannot build on',
    solution:
      'Import a Debian or Debian-like image (os-release `ID=debian` or `ID_LIKE` naming debian), or choose a shared base image.',
  },
  GOLD_IMAGE_PLATFORM_UNSUPPORTED: {
    status: 422,
    title: 'The gold image is not for linux/amd64',
    solution:
      'Export the linux/amd64 variant of the image (for example `skopeo copy --override-arch amd64`).',
  },
  GOLD_IMAGE_TOO_LARGE: {
    status: 413,
    title: 'The gold image is larger than the configured limit',
    solution:
      'Remove caches and logs from the image, or ask the operator to raise `--max-package-size` (upload) or the extracted size limit.',
  },
  SCAN_REPORT_NOT_FOUND: {
    status: 404,
    title: 'The build or image has no scan report',
    solution:
      'A build has a scan report once it reaches its Scanning stage; wait for it with `goldsmith build show`. Builds that failed earlier, and base images, have none.',
  },
  INVALID_PACKAGE_FILE_NAME: {
    status: 400,
    title: 'The package file name is not allowed',
    solution:
      'Use a plain file name of at most 255 characters from letters, digits, `.`, `_`, `-`, `+` and `~`, starting with a letter or digit.',
  },
  PACKAGE_TOO_LARGE: {
    status: 413,
    title: 'The package is larger than the configured limit',
    solution:
      'Split the software into several packages, or ask the operator to raise `--max-package-size`.',
  },
  INVALID_PACKAGE_GROUP_NAME: {
    status: 400,
    title: 'The package group name breaks the naming rules',
    solution:
      'Use fewer than 100 characters, only letters, digits, underscores and dashes, for example `acme_agent_2_4_linux_r1`.',
  },
  PACKAGE_GROUP_NAME_USED: {
    status: 409,
    title: 'The account has used this package group name before',
    solution:
      'A name can be used once, even when the build failed or the group was deleted. Submit under a new name, e.g. with the next revision number.',
  },
  INSTALLER_NOT_EXACTLY_ONE: {
    status: 400,
    title: 'Exactly one package must be marked as the installer',
    solution: 'Mark the one script or package that runs the installation as the installer.',
  },
  INSTALLER_EXTENSION_NOT_ALLOWED: {
    status: 400,
    title: 'The installer type is not supported on this platform',
    solution:
      'Linux installers end in .exe, .rpm, .deb, .sh or .run; Windows installers in .msi, .ps1, .bat or .exe.',
  },
  DUPLICATE_PACKAGE: {
    status: 400,
    title: 'A package or file name appears twice in the group',
    solution: 'List each package once; file names in a group must be distinct.',
  },
  OS_VERSION_REQUIRED: {
    status: 400,
    title: 'No operating system version was chosen',
    solution: 'Choose one or more OS versions; `GET /v1/os-versions` lists them.',
  },
  OS_VERSION_NOT_OFFERED: {
    status: 400,
    title: 'The catalog does not offer this OS version for the platform',
    solution: 'Choose from `GET /v1/os-versions` for the group’s platform.',
  },
  PLATFORM_NOT_AVAILABLE: {
    status: 400,
    title: 'No base image is registered for this platform',
    solution:
      'Windows package groups need a Windows base image, which an operator must register first. Submit a Linux group, or ask the operator.',
  },
  INSTALLER_INCOMPATIBLE_WITH_OS: {
    status: 400,
    title: 'The installer type cannot run on a chosen OS version',
    solution: 'An .rpm installer needs RPM-based OS versions; use a .deb or a script for Debian.',
  },
  PACKAGE_GROUP_BUSY: {
    status: 409,
    title: 'The package group still has builds in progress',
    solution: 'Wait until every OS build has finished, then try again.',
  },
  ACCOUNT_QUEUE_FULL: {
    status: 429,
    title: 'The account has as many builds queued or running as it may',
    solution:
      'Wait until some of your builds have finished, or cancel ones you no longer need with `goldsmith package-group cancel ID`, then try again. Operators set the limit with `--account-queue-limit`.',
  },
  NOTHING_TO_CANCEL: {
    status: 409,
    title: 'The package group has no unfinished build left to cancel',
    solution:
      'Nothing to do: every build of the group has already finished or been cancelled. Check with `goldsmith package-group show ID`.',
  },
  BUILD_NOT_INVESTIGATING: {
    status: 409,
    title: 'The build is not in the Investigating state',
    solution:
      'Only a build that failed on Goldsmith’s side can be retried, closed or raised with the operators.',
  },
  SUPPORT_CONTACT_TOO_EARLY: {
    status: 409,
    title: 'The build has not been Investigating for four business days yet',
    solution:
      'Operators are already working on it; the message names the date from which you can contact them.',
  },
  OS_VERSION_UNKNOWN: {
    status: 404,
    title: 'The catalog has no such OS version',
    solution: 'Use an id from `GET /v1/os-versions`, such as `debian-12`.',
  },
  LOAD_FORM_INVALID: {
    status: 400,
    title: 'The load form has problems',
    solution:
      'Fix each problem listed (sheet, row and column are given; the body’s `details.problems` lists them too) and upload the workbook again.',
  },
  INVALID_SUBMISSION_DESCRIPTION: {
    status: 400,
    title: 'A load form needs a short description',
    solution: 'Describe the submission in 1 to 500 characters.',
  },
  SUBMISSION_NOT_FOUND: {
    status: 404,
    title: 'No such load form submission',
    solution: 'Check the submission id with `goldsmith load-form status`.',
  },
  SUBMISSION_STATE_CONFLICT: {
    status: 409,
    title: 'The submission is not in a state that allows this action',
    solution:
      'See its state with `goldsmith load-form status ID`: operators start a review of a Submitted form, ask, publish or reject one UnderReview; sellers answer and correct while it is not Published or Rejected.',
  },
  SUBMISSION_NO_LONGER_VALID: {
    status: 409,
    title: 'The submission no longer passes the publishing rules',
    solution:
      'Something changed since it was submitted (the message and `details.problems` say what): ask the seller for a corrected form, or reject it.',
  },
  PRODUCT_NOT_FOUND: {
    status: 404,
    title: 'No such product visible to this account',
    solution: 'Find products with `goldsmith product list`.',
  },
  FULFILLMENT_OPTION_NOT_FOUND: {
    status: 404,
    title: 'No such fulfillment option of this seller',
    solution: 'Check the option id with `goldsmith product show`.',
  },
  TERMS_NOT_ACCEPTED: {
    status: 400,
    title: 'Subscribing needs the product’s terms accepted',
    solution:
      'Read the EULA named on the product, then send `acceptTerms: true` (`--accept-terms`).',
  },
  INVALID_FULFILLMENT_OPTION_ID: {
    status: 400,
    title: 'The fulfillment option does not exist or is not available to this account',
    solution:
      'Give exactly one fulfillment option id of a product you can see, as `goldsmith product show` lists it.',
  },
  SUBSCRIPTION_NOT_FOUND: {
    status: 400,
    title: 'The buyer is not subscribed to the fulfillment option’s product',
    solution: 'Subscribe first: `goldsmith product subscribe PRODUCT --accept-terms`.',
  },
  INVALID_SOURCE_IMAGE_ID: {
    status: 400,
    title: 'The source image does not exist or cannot be built on',
    solution:
      'Use one of your own gold images or a shared base image (`goldsmith gold-image list`); private images, test images and images of OS versions Goldsmith cannot build on are refused.',
  },
  INSTALLER_MISMATCH: {
    status: 400,
    title: 'The software is for another OS family than the source image',
    solution:
      'Pick a source image of an OS family the fulfillment option was built for (its OS versions are listed on the product).',
  },
  INVALID_DESTINATION_IMAGE_NAME: {
    status: 400,
    title: 'The destination image name does not meet the naming rules',
    solution: "Use 3-128 characters: letters, digits, spaces and ( ) [ ] . / - ' @ _.",
  },
  INVALID_DESTINATION_IMAGE_DESCRIPTION: {
    status: 400,
    title: 'The destination image description is too long',
    solution: 'Use at most 255 characters.',
  },
  IDEMPOTENT_PARAMETER_MISMATCH: {
    status: 409,
    title: 'The client token was used before with different parameters',
    solution:
      'Send the same parameters as the first request with this token, or use a new client token.',
  },
  BUILD_LIMIT_EXCEEDED: {
    status: 429,
    title: 'The account has as many private image builds in progress as it may',
    solution: 'Wait until one of your builds has finished, then start another.',
  },
  BUILD_ID_NOT_FOUND: {
    status: 404,
    title: 'No such private image build in this account',
    solution: 'Check the build id with `goldsmith private-image list`.',
  },
  INVALID_BUILD_ID: {
    status: 400,
    title: 'The build ids are duplicated or more than 50',
    solution: 'Ask for 1 to 50 distinct build ids at a time.',
  },
  INVALID_MAX_RESULTS: {
    status: 400,
    title: 'The number of builds asked for is out of range',
    solution: 'Ask for 1 to 50 builds per page.',
  },
  INVALID_NEXT_TOKEN: {
    status: 400,
    title: 'The page token is not one this listing returned',
    solution: 'Send the NextToken of the previous page unchanged, with the same filters.',
  },
  INVALID_FILTER: {
    status: 400,
    title: 'The filter name or value is not supported',
    solution:
      'Filter on build-id, fulfillment-option-id, product-id or status (in-progress, internal-error, failed, succeeded).',
  },
  UNAUTHORIZED_OPERATION: {
    status: 403,
    title: 'The account may not build private images',
    solution:
      'Private image builds need the buyer role; ask an operator to give it to the account.',
  },
  LOG_LINK_INVALID: {
    status: 403,
    title: 'The log link is expired or its signature does not match',
    solution: 'Read the build again for fresh StandardOutputUrl and StandardErrorUrl links.',
  },
  INSTANCE_NOT_FOUND: {
    status: 404,
    title: 'No such instance in this account',
    solution: 'Check the instance id (`i-` and 17 hex digits) with `goldsmith instance list`.',
  },
  INSTANCE_LIMIT_EXCEEDED: {
    status: 409,
    title: 'The account already has the most running instances allowed',
    solution:
      'Stop or terminate an instance with `goldsmith instance terminate ID`, then launch again; operators set the limit with `goldsmith server --instance-limit`.',
  },
  INSTANCE_HOST_UNAVAILABLE: {
    status: 503,
    title: 'This Goldsmith server cannot run instances',
    solution:
      'Instances run in the API process’s sandbox, which exists only when the server runs workers: start it with `--workers 1` or more.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    title: 'The request body is too large',
    solution: 'Send a smaller request; packages go to `POST /v1/packages` as a stream.',
  },
  CONSOLE_NOT_BUILT: {
    status: 503,
    title: 'The web console has not been built',
    solution:
      'Run `npm run build:web` (or `npm run build`, which `scripts/setup.sh` runs) in the Goldsmith checkout, then reload /console/; the API works without it.',
  },
  INTERNAL_ERROR: {
    status: 500,
    title: 'Goldsmith failed on its side',
    solution: 'Retry; if it persists, give the operators the request id from the server log.',
  },
} as const satisfies Record<string, { status: number; title: string; solution: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
