# The checks on each error a case produces: ours (BoxFusionException / ResultFileException), a known ErrorId,
# with its category, target and byte position.

$script:ResultFileProblems = 'FileEmpty', 'NotJson', 'Truncated', 'NotAList', 'RecordNotAnObject', 'NonFiniteNumber', 'TrailingContent', 'RecordTooLarge', 'NestedTooDeep'
$script:RecordProblems = 'MissingField', 'WrongType', 'BadBox', 'NonFiniteNumber', 'NegativeSize', 'ScoreOutOfRange', 'DuplicateKey', 'OutOfRange'
$script:KnownErrorIds = @{
    ImportDetectionCommand  = @($ResultFileProblems | ForEach-Object { "ResultFile$_" }) + @($RecordProblems | ForEach-Object { "SkippedRecords$_" })
    MergeDetectionCommand   = @($ResultFileProblems | ForEach-Object { "ResultFile$_" }) + @($RecordProblems | ForEach-Object { "SkippedRecords$_" }) +
                              'ImageInfoInvalid', 'ImageInfoNotFound', 'ImageNotInImageInfo', 'AmbiguousImageId', 'DetectionWithoutImageId', 'InvalidDetection'
    ExportSubmissionCommand = 'NonFiniteDetection', 'InvalidDetection', 'DetectionWithoutImageId'
}

# Every problem with one error record: foreign exceptions, unknown ids, missing category/target/position.
function Test-FuzzError($Record, [string] $InputPath, [string] $GtPath, [long] $InputLength, [System.Collections.Generic.List[string]] $Problems) {
    if ($Record -is [System.Management.Automation.IContainsErrorRecord] -and $Record -isnot [System.Management.Automation.ErrorRecord]) {
        $Record = $Record.ErrorRecord # -ErrorVariable holds a terminating error as its exception
    }
    if ($Record -isnot [System.Management.Automation.ErrorRecord]) {
        $Problems.Add("not an ErrorRecord: a $($Record.GetType().FullName): $Record")
        return
    }
    $id = $Record.FullyQualifiedErrorId
    $exception = $Record.Exception
    $type = $exception.GetType().FullName
    if ($type -notin 'BoxFusion.Commands.BoxFusionException', 'BoxFusion.Json.ResultFileException') {
        $Problems.Add("foreign exception $type ($id): $($exception.Message)")
        return
    }
    if ($id -notmatch '^(\w+),BoxFusion\.Commands\.(\w+)$' -or $Matches[2] -notin $script:KnownErrorIds.Keys -or $Matches[1] -notin $script:KnownErrorIds[$Matches[2]]) {
        $Problems.Add("unknown ErrorId '$id': $($exception.Message)")
        return
    }
    $errorId = $Matches[1]
    $message = "$exception"
    if ($errorId -like 'ResultFile*' -or $errorId -like 'SkippedRecords*') {
        if ($Record.CategoryInfo.Category -ne 'InvalidData') { $Problems.Add("$errorId has category $($Record.CategoryInfo.Category)") }
        if ($Record.TargetObject -ne $InputPath) { $Problems.Add("$errorId has target '$($Record.TargetObject)'") }
        if (-not $message.Contains($InputPath)) { $Problems.Add("$errorId message does not name the file: $message") }
    }
    if ($errorId -like 'ResultFile*') {
        if ($message -notmatch '\((?:record \d+, )?byte (\d+)\)') { $Problems.Add("$errorId message has no byte position: $message") }
        elseif ([long]$Matches[1] -gt $InputLength) { $Problems.Add("$errorId byte position $($Matches[1]) is past the end ($InputLength): $message") }
    }
    if ($errorId -like 'SkippedRecords*' -and $message -notmatch '\d+ records? skipped \(\w+\); first: record \d+: ') {
        $Problems.Add("$errorId message lacks the count or the first record: $message")
    }
    if ($errorId -eq 'ImageInfoInvalid') {
        if ($Record.CategoryInfo.Category -ne 'InvalidData') { $Problems.Add("$errorId has category $($Record.CategoryInfo.Category)") }
        if ($Record.TargetObject -ne $GtPath) { $Problems.Add("$errorId has target '$($Record.TargetObject)'") }
        if (-not $message.Contains($GtPath)) { $Problems.Add("$errorId message does not name the file: $message") }
    }
}

function ConvertTo-FuzzErrorId($Record) {
    if ($Record -is [System.Management.Automation.IContainsErrorRecord] -and $Record -isnot [System.Management.Automation.ErrorRecord]) { $Record = $Record.ErrorRecord }
    if ($Record -is [System.Management.Automation.ErrorRecord]) { ($Record.FullyQualifiedErrorId -split ',')[0] } else { "($($Record.GetType().Name))" }
}
