# The fuzz cases of the other input surfaces: the driver (Invoke-FuzzSurfaceCase below); the oracle is
# BoxFusion.Fuzz.SurfaceOracle (tests/BoxFusion.Fuzz/SurfaceTruth.cs and SurfaceObjects.cs):
#   - ground-truth files: the fixture gt.json with values replaced, fields dropped, annotations and images repeated,
#     or damaged as the results files are, given to Measure-Detection -GroundTruth;
#   - -ImageInfo objects: the fixture's images as objects or hashtables (alone, in a list, or under 'images'),
#     with bad or odd values, given to Merge-Detection -ImageInfo;
#   - New-Detection input: objects with every kind of value, given to New-Detection and, as they are, to
#     Merge-Detection.
# The oracle idea is the same as for results files: never a foreign exception, never a hang, and what is accepted
# gives exactly what an independent reading of the same input says (SurfaceOracle).

# Run inside the case runspace (added to Runner.ps1's pipeline functions).
$script:FuzzSurfacePipeline = @'
function Invoke-FuzzGroundTruth {
    param([string] $Detections, [string] $GroundTruth, [bool] $Stop)
    $ea = if ($Stop) { 'Stop' } else { 'SilentlyContinue' }
    $result = $null; $errors = $null; $caught = $null; $warnings = $null
    try {
        $result = Import-Detection -LiteralPath $Detections | Measure-Detection -GroundTruth $GroundTruth -ErrorAction $ea -ErrorVariable errors -WarningVariable warnings -WarningAction SilentlyContinue
    }
    catch { $caught = $_ }
    [pscustomobject]@{ Stats = $result.Stats; Errors = @($errors); Caught = $caught; Warnings = @($warnings) }
}

function Invoke-FuzzImageInfo {
    param([string] $Detections, $ImageInfo, $Reference, [string] $Method)
    $fused = $null; $errors = $null; $caught = $null; $expected = $null; $expectedErrors = $null
    $boxes = Import-Detection -LiteralPath $Detections
    try { $fused = $boxes | Merge-Detection -Method $Method -ImageInfo $ImageInfo -ErrorAction SilentlyContinue -ErrorVariable errors -WarningAction SilentlyContinue }
    catch { $caught = $_ }
    if ($null -ne $Reference) {
        $expected = $boxes | Merge-Detection -Method $Method -ImageInfo $Reference -ErrorAction SilentlyContinue -ErrorVariable expectedErrors -WarningAction SilentlyContinue
    }
    [pscustomobject]@{ Fused = @($fused); Errors = @($errors); Caught = $caught; Expected = @($expected); ExpectedErrors = @($expectedErrors) }
}

function Invoke-FuzzNewDetection {
    param([object[]] $Inputs)
    $made = $null; $errors = $null; $caught = $null; $direct = $null; $directErrors = $null; $viaNew = $null
    try { $made = $Inputs | New-Detection -ErrorAction SilentlyContinue -ErrorVariable errors }
    catch { $caught = $_ }
    try { $direct = $Inputs | Merge-Detection -ErrorAction SilentlyContinue -ErrorVariable directErrors -WarningAction SilentlyContinue }
    catch { $caught = $_ }
    $viaNew = $made | Merge-Detection -WarningAction SilentlyContinue
    [pscustomobject]@{ Made = @($made); Errors = @($errors); Caught = $caught; Direct = @($direct); DirectErrors = @($directErrors); ViaNew = @($viaNew) }
}
'@

# PowerShell's own errors for a pipeline object whose property does not convert to the parameter's type: ordinary, allowed.
$script:BindingErrorIds = 'InputObjectNotBound', 'InputObjectMissingMandatory', 'ParameterArgumentTransformationError', 'ParameterArgumentValidationErrorNullNotAllowed', 'ParameterArgumentValidationError', 'CannotConvertArgumentNoMessage', 'ParameterArgumentValidationErrorEmptyStringNotAllowed'
$script:SurfaceErrorIds = @{
    MeasureDetectionCommand = 'GroundTruthInvalid', 'GroundTruthNotFound', 'ImageNotInGroundTruth', 'InvalidDetection', 'DetectionWithoutImageId'
    MergeDetectionCommand   = 'ImageInfoInvalid', 'ImageNotInImageInfo', 'InvalidDetection', 'DetectionWithoutImageId'
    NewDetectionCommand     = 'InvalidDetection', 'InvalidNumber', 'IncompleteBox'
}

# Problems with one error of a surface case: not ours (and not PowerShell's ordinary binding error), or an ErrorId we do not define.
function Test-FuzzSurfaceError($Record, [System.Collections.Generic.List[string]] $Problems) {
    if ($Record -is [System.Management.Automation.IContainsErrorRecord] -and $Record -isnot [System.Management.Automation.ErrorRecord]) { $Record = $Record.ErrorRecord }
    if ($Record -isnot [System.Management.Automation.ErrorRecord]) { $Problems.Add("not an ErrorRecord: $Record"); return }
    $id = $Record.FullyQualifiedErrorId
    if ($Record.Exception -is [System.Management.Automation.ParameterBindingException] -and ($id -split ',')[0] -in $script:BindingErrorIds) { return }
    if ($Record.Exception.GetType().FullName -ne 'BoxFusion.Commands.BoxFusionException') { $Problems.Add("foreign exception $($Record.Exception.GetType().FullName) ($id): $($Record.Exception.Message)"); return }
    if ($id -notmatch '^(\w+),BoxFusion\.Commands\.(\w+)$' -or $Matches[1] -notin $script:SurfaceErrorIds[$Matches[2]]) { $Problems.Add("unknown ErrorId '$id': $($Record.Exception.Message)"); return }
    if ("$($Record.Exception.Message)" -match '   at ') { $Problems.Add("$id has a stack trace") }
}

<#
.SYNOPSIS
    One surface case (number $N of the run): 'GroundTruth', 'ImageInfo' or 'NewDetection' by turns. Returns the ErrorIds seen
    and adds what is wrong to $Problems; $Kept gets the input to keep for replay when there is a problem.
#>
function Invoke-FuzzSurfaceCase($State, [int] $N, [System.Random] $Rng, $Fixture, [string] $WorkFolder, [System.Collections.Generic.List[string]] $Problems, [ref] $Kept) {
    $ids = [System.Collections.Generic.HashSet[string]]::new()
    $kind = ('GroundTruth', 'ImageInfo', 'NewDetection')[$N % 3]
    switch ($kind) {
        'GroundTruth' {
            $mutant = [BoxFusion.Fuzz.SurfaceOracle]::MutateTruth($Fixture.GtBytes, $Rng)
            $Kept.Value = @{ Kind = $kind; Data = $mutant.Data; Description = $mutant.Description }
            $gtPath = Join-Path $WorkFolder 'truth.json'
            [System.IO.File]::WriteAllBytes($gtPath, $mutant.Data)
            $verdict = [BoxFusion.Fuzz.SurfaceOracle]::ReadTruth($mutant.Data, $gtPath)
            $run = Invoke-FuzzRun $State @{ Detections = $Fixture.Path; GroundTruth = $gtPath; Stop = $false } 'Invoke-FuzzGroundTruth'
            if ($run -eq 'hang') { $Problems.Add("hang: Measure-Detection did not finish within $($State.TimeoutSeconds) s"); return $ids }
            if ($run.PSObject.Properties['Broken']) { $Problems.Add($run.Broken); return $ids }
            foreach ($e in @($run.Errors) + @($run.Caught) | Where-Object { $null -ne $_ }) { Test-FuzzSurfaceError $e $Problems; $null = $ids.Add((ConvertTo-FuzzErrorId $e)) }
            $refused = $ids.Contains('GroundTruthInvalid')
            if ($verdict.Outcome -eq 'Invalid' -and -not $refused) { $Problems.Add("a ground truth the rules refuse was accepted ($verdict)") }
            elseif ($verdict.Outcome -eq 'Valid' -and $refused) { $Problems.Add("a valid ground truth was refused: $(@($run.Errors) + @($run.Caught) | Select-Object -First 1)") }
            elseif (-not $refused -and $verdict.Truth) {
                $detections = [System.Collections.Generic.List[BoxFusion.Detection]]::new()
                foreach ($d in $Fixture.Detections) { $detections.Add($d) }
                $expected = [BoxFusion.Fuzz.SurfaceOracle]::Evaluate($verdict.Truth, $detections)
                if ($expected -is [string]) {
                    if (-not $ids.Contains($expected)) { $Problems.Add("expected $expected; got $($ids -join ', ')") }
                }
                elseif ($ids.Contains('ImageNotInGroundTruth')) { $Problems.Add("ImageNotInGroundTruth, but every image is in the independent reading") }
                else {
                    $difference = [BoxFusion.Fuzz.SurfaceOracle]::SameStats($expected, $run.Stats)
                    if ($difference) { $Problems.Add($difference + " ($verdict)") }
                }
                $duplicates = $verdict.Truth.DuplicateAnnotationIdCount
                if ($duplicates -gt 0 -and -not ($run.Warnings | Where-Object { "$_" -like "*$duplicates annotation* an id with a later annotation*" })) { $Problems.Add("no warning for $duplicates repeated annotation ids") }
            }
        }
        'ImageInfo' {
            $verdict = $null; $description = $null
            $records = [BoxFusion.Fuzz.SurfaceOracle]::MakeImageRecords($Fixture.Truth, $Rng, [ref] $verdict, [ref] $description)
            $Kept.Value = @{ Kind = $kind; Description = $description }
            $method = ('WBF', 'NMS', 'SoftNMS', 'NMW')[$Rng.Next(4)]
            $run = Invoke-FuzzRun $State @{ Detections = $Fixture.Path; ImageInfo = $records; Reference = $verdict.Truth; Method = $method } 'Invoke-FuzzImageInfo'
            if ($run -eq 'hang') { $Problems.Add("hang: Merge-Detection -ImageInfo did not finish within $($State.TimeoutSeconds) s"); return $ids }
            if ($run.PSObject.Properties['Broken']) { $Problems.Add($run.Broken); return $ids }
            foreach ($e in @($run.Errors) + @($run.Caught) | Where-Object { $null -ne $_ }) { Test-FuzzSurfaceError $e $Problems; $null = $ids.Add((ConvertTo-FuzzErrorId $e)) }
            if ($verdict.Outcome -eq 'Invalid') {
                $e = $run.Caught
                if (-not $e -or (ConvertTo-FuzzErrorId $e) -ne 'ImageInfoInvalid') { $Problems.Add("records the rules refuse ($verdict) were accepted") }
                elseif ("$($e.Exception.Message)" -notlike "-ImageInfo: image record $($verdict.FirstBadRecord) *") { $Problems.Add("the error names another record than $($verdict.FirstBadRecord): $($e.Exception.Message)") }
                elseif ($e.CategoryInfo.Category -ne 'InvalidArgument' -or $null -eq $e.TargetObject) { $Problems.Add("ImageInfoInvalid lacks its category or target") }
            }
            elseif ($run.Caught) { if ($verdict.Outcome -eq 'Valid') { $Problems.Add("valid records were refused: $($run.Caught.Exception.Message)") } }
            else {
                $difference = [BoxFusion.Fuzz.SurfaceOracle]::SameDetections($run.Expected, $run.Fused)
                if ($difference) { $Problems.Add($difference) }
                $got = @($run.Errors | ForEach-Object { ConvertTo-FuzzErrorId $_ }) -join ','
                $want = @($run.ExpectedErrors | ForEach-Object { ConvertTo-FuzzErrorId $_ }) -join ','
                if ($got -ne $want) { $Problems.Add("errors $got; with the same sizes from a ground truth: $want") }
            }
        }
        'NewDetection' {
            $verdict = $null; $description = $null
            $inputs = [BoxFusion.Fuzz.SurfaceOracle]::MakeDetectionInputs($Rng, [ref] $verdict, [ref] $description)
            $Kept.Value = @{ Kind = $kind; Description = $description }
            $run = Invoke-FuzzRun $State @{ Inputs = $inputs } 'Invoke-FuzzNewDetection'
            if ($run -eq 'hang') { $Problems.Add("hang: New-Detection did not finish within $($State.TimeoutSeconds) s"); return $ids }
            if ($run.PSObject.Properties['Broken']) { $Problems.Add($run.Broken); return $ids }
            foreach ($e in @($run.Errors) + @($run.DirectErrors) + @($run.Caught) | Where-Object { $null -ne $_ }) { Test-FuzzSurfaceError $e $Problems; $null = $ids.Add((ConvertTo-FuzzErrorId $e)) }
            if ($run.Caught) { $Problems.Add("the pipeline stopped: $($run.Caught.Exception.Message)") }
            $difference = [BoxFusion.Fuzz.SurfaceOracle]::CompareNewDetection($verdict, $run.Made)
            if ($difference) { $Problems.Add($difference) }
            $refusals = @($verdict.RefusedAs | Where-Object { $_ })
            $errorCount = @($run.Errors).Count
            if ($errorCount -ne $refusals.Count) { $Problems.Add("$errorCount errors from New-Detection for $($refusals.Count) refused inputs") }
            if (@($run.Errors | Where-Object { (ConvertTo-FuzzErrorId $_) -eq 'InvalidDetection' }).Count -ne @($refusals | Where-Object { $_ -eq 'InvalidDetection' }).Count) {
                $Problems.Add("InvalidDetection errors do not match the refused values: $((@($run.Errors) | ForEach-Object { $_.Exception.Message }) -join ' | ')")
            }
            # The same objects piped straight into Merge-Detection: what it accepts fuses as New-Detection's output does.
            $difference = [BoxFusion.Fuzz.SurfaceOracle]::SameDetections($run.ViaNew, $run.Direct)
            if ($difference) { $Problems.Add("objects piped into Merge-Detection: $difference") }
        }
    }
    $ids
}
