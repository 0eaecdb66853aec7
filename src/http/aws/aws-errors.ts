/*
 * Errors of the AWS JSON protocol: the names AWS SDKs recognise, with their
 * HTTP statuses. The model's own error shapes carry no `httpStatusCode`, so
 * they answer 400, or 500 for the one marked `fault`; the common
 * authentication errors follow AWS's common-errors table.
 */

/** Error shapes of marketplaceimagebuild-2017-12-15 (a test checks them against the model). */
export const MODEL_ERROR_STATUS = {
  BuildLimitExceededException: 400,
  IdempotentParameterMismatchException: 400,
  InstallerMismatchException: 400,
  InternalServerErrorException: 500,
  InvalidDestinationImageNameException: 400,
  InvalidFilterException: 400,
  InvalidFulfillmentOptionIdException: 400,
  InvalidMaxResultsException: 400,
  InvalidNextTokenException: 400,
  InvalidSnsTopicArnException: 400,
  InvalidSourceImageIdException: 400,
  UnauthorizedOperationException: 400,
} as const;

/**
 * Exceptions the buyer guide's error table names that the model leaves out
 * (../shared/reference/buyer-private-image-build-error-messages.md).
 */
export const DOCUMENTED_ERROR_STATUS = {
  BuildIdNotFoundException: 400,
  InvalidBuildIdException: 400,
  InvalidDestinationImageDescriptionException: 400,
  SubscriptionNotFoundException: 400,
} as const;

/** Errors every AWS JSON service answers, outside the model. */
export const COMMON_ERROR_STATUS = {
  IncompleteSignatureException: 400,
  MissingAuthenticationTokenException: 403,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  UnknownOperationException: 400,
  SerializationException: 400,
} as const;

export type AwsErrorName =
  | keyof typeof MODEL_ERROR_STATUS
  | keyof typeof DOCUMENTED_ERROR_STATUS
  | keyof typeof COMMON_ERROR_STATUS;

const STATUS: Readonly<Record<AwsErrorName, number>> = {
  ...MODEL_ERROR_STATUS,
  ...DOCUMENTED_ERROR_STATUS,
  ...COMMON_ERROR_STATUS,
};

/** An error answered in AWS JSON form: `{"__type": name, "message": …}`. */
export class AwsServiceError extends Error {
  readonly errorName: AwsErrorName;

  constructor(errorName: AwsErrorName, message: string) {
    super(message);
    this.name = 'AwsServiceError';
    this.errorName = errorName;
  }

  /** The HTTP status the error is answered with. */
  get status(): number {
    return STATUS[this.errorName];
  }
}
