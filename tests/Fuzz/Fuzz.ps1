#Requires -Version 7.0
<#
.SYNOPSIS
    Fuzz test of bad input: mutated COCO files through Import-Detection | Merge-Detection | Export-Submission.
.DESCRIPTION
    Each case takes a fixture file from tests/data/case-a or case-b and mutates it: truncation at a random
    offset, byte flips, swapped tokens, deleted fields, extreme numbers (1e400, NaN, -1, "0.5", huge integers)
    and random valid numbers of every shape (long mantissas, big exponents, halfway cases, subnormals),
    structural damage (a BOM, an object instead of a list, trailing content, deep nesting, invalid UTF-8) or a
    mix of these. Most cases mutate a results file; some mutate the ground truth given to -ImageInfo.

    Then -SurfaceCases cases of the other input surfaces (Surfaces.ps1), by turns: a changed gt.json given to
    Measure-Detection -GroundTruth (its statistics must equal those of an independent reading of the same bytes,
    or the file must be refused where the rules say so); -ImageInfo as objects or hashtables with odd values given
    to Merge-Detection (refused with ImageInfoInvalid naming the first bad record, or fused exactly as with the
    same sizes from a ground truth); objects with every kind of value given to New-Detection (each valid one made
    exactly, each other one an error) and, as they are, to Merge-Detection (what it accepts fuses exactly as
    New-Detection's output does).

    The case runs, in a runspace of this process, as
        Import-Detection $f -ErrorAction SilentlyContinue -ErrorVariable e -WarningAction SilentlyContinue |
            Merge-Detection [-Method ...] [-ImageInfo gt.json] | Export-Submission $out -Force
    (or Merge-Detection -LiteralPath $f, reading the file itself) and, for one case in four, again with
    -ErrorAction Stop. A case fails when:
      - anything surfaces that is not an ErrorRecord of ours: a .NET exception (ErrorId 'System.…'), an
        ErrorId we do not define, an exception type other than BoxFusionException / ResultFileException;
      - it takes longer than -TimeoutSeconds (a hang);
      - an error lacks its category, its target (the file) or, for a file error, the byte position;
      - the result is silently wrong: an independent reading of the same bytes (System.Text.Json's
        JsonDocument, with the documented rules for records) disagrees on whether the file is readable,
        on any good record (id, category, box and score, exactly) or on the number of records skipped
        per problem; a truncated file
        is not reported as ResultFileTruncated; a strictly invalid -ImageInfo file is accepted;
      - the submission written does not read back (as strict JSON) exactly as the fused detections that
        Export-Submission keeps, or a file is written although the pipeline stopped, or a temporary file is left;
      - with -ErrorAction Stop, an error does not stop the pipeline, or the pipeline stops without one.
    Failing inputs are kept in -FailureFolder for replay (-Only <case number>).

    Run directly (build.ps1 -Task Fuzz does, and tests/Pester/Fuzz.Tests.ps1 in a child process with a time
    limit) it prints a summary and exits 1 on any failure or hang. Dot-sourced, it only defines
    Invoke-BoxFusionFuzz (which returns the summary) and Format-FuzzSummary.

    The mutation engine, the independent strict reading (the oracle) and the thread that runs a case with its
    time limit are C#, in the test library tests/BoxFusion.Fuzz (its build copies it to out/fuzz; build.ps1 builds
    it for the Test and Fuzz tasks, or dotnet build tests/BoxFusion.Fuzz -c Release). The parts dot-sourced from this
    folder: Runner.ps1 (the case runspace and one pipeline run), ErrorChecks.ps1 (the checks on each error
    record) and Surfaces.ps1 (one case of the other surfaces).
.EXAMPLE
    dotnet pwsh tests/Fuzz/Fuzz.ps1 -ModulePath out/BoxFusion -Cases 20000
.EXAMPLE
    dotnet pwsh tests/Fuzz/Fuzz.ps1 -ModulePath out/BoxFusion -Seed 7 -Only 1234   # replay one case
.EXAMPLE
    dotnet pwsh tests/Fuzz/Fuzz.ps1 -ModulePath out/BoxFusion -Cases 0 -SurfaceCases 3000 -OnlySurface 17   # replay one surface case
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/BoxFusion'),
    [int] $Cases = 2000,
    # Cases of the other surfaces (ground-truth files, -ImageInfo objects, New-Detection input).
    [int] $SurfaceCases = 600,
    [int] $Seed = 20250101,
    [double] $TimeoutSeconds = 10,
    # Case numbers to replay (with the same -Seed): 17 or 17,400 (also as one argument of pwsh -File).
    [string[]] $Only,
    # Surface case numbers to replay (with the same -Seed).
    [string[]] $OnlySurface,
    [string] $FailureFolder = (Join-Path $PSScriptRoot '../../out/fuzz-failures'),
    # The compiled test library (tests/BoxFusion.Fuzz).
    [string] $LibraryPath = (Join-Path $PSScriptRoot '../../out/fuzz/BoxFusion.Fuzz.dll'),
    # Also write the summary as JSON here (tests/Pester/Fuzz.Tests.ps1 reads it).
    [string] $SummaryPath
)

$script:FuzzDataRoot = Join-Path $PSScriptRoot '../data'

# The parts, dot-sourced into this scope (so that dot-sourcing this script still defines everything).
. (Join-Path $PSScriptRoot 'Runner.ps1')
. (Join-Path $PSScriptRoot 'ErrorChecks.ps1')
. (Join-Path $PSScriptRoot 'Surfaces.ps1')

# The engine of the module under test, then the test library built against it (tests/BoxFusion.Fuzz does not carry
# a copy of the engine, so the fuzz oracle sees the very types the cmdlets return). A library older than its sources
# would test yesterday's mutations and oracle: that is refused.
function Initialize-FuzzEngine([string] $ModulePath, [string] $LibraryPath) {
    if ('BoxFusion.Fuzz.Oracle' -as [type]) { return }
    $build = 'dotnet build tests/BoxFusion.Fuzz -c Release (build.ps1 -Task Test and -Task Fuzz do this)'
    if (-not (Test-Path -LiteralPath $LibraryPath -PathType Leaf)) { throw "The fuzz test library '$LibraryPath' is not built: $build." }
    $sources = Get-ChildItem (Join-Path $PSScriptRoot '../BoxFusion.Fuzz') -File | Where-Object Extension -In '.cs', '.csproj'
    $newest = $sources | Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1
    if ($newest -and $newest.LastWriteTimeUtc -gt [System.IO.File]::GetLastWriteTimeUtc($LibraryPath)) {
        throw "The fuzz test library '$LibraryPath' is older than $($newest.Name): $build."
    }
    Add-Type -Path (Join-Path $ModulePath 'BoxFusion.Engine.dll')
    Add-Type -Path $LibraryPath
}

<#
.SYNOPSIS
    Runs the fuzz cases; returns a summary (Cases, Failures, Hangs, Seconds, ErrorIds histogram, Slowest).
#>
function Invoke-BoxFusionFuzz {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $ModulePath,
        [int] $Cases = 2000,
        [int] $SurfaceCases = 0,
        [int] $Seed = 20250101,
        [double] $TimeoutSeconds = 10,
        [int[]] $Only,
        [int[]] $OnlySurface,
        [string] $FailureFolder,
        [string] $WorkFolder,
        [string] $LibraryPath = (Join-Path $PSScriptRoot '../../out/fuzz/BoxFusion.Fuzz.dll'),
        [switch] $ShowProgress
    )
    Set-StrictMode -Version 3.0
    Initialize-FuzzEngine $ModulePath $LibraryPath
    if (-not $WorkFolder) {
        # A RAM disk where there is one: Export-Submission flushes each file to disk, which costs more than the rest of a case.
        $temp = if (Test-Path /dev/shm) { '/dev/shm' } else { [System.IO.Path]::GetTempPath() }
        $WorkFolder = Join-Path $temp ('boxfusion-fuzz-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    }
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $pipelineClock = [System.Diagnostics.Stopwatch]::new()
    $null = New-Item -ItemType Directory -Force $WorkFolder, (Join-Path $WorkFolder 'out')
    $fixtures = foreach ($case in 'case-a', 'case-b') {
        $dir = Join-Path $script:FuzzDataRoot $case
        $gt = Join-Path $dir 'gt.json'
        foreach ($model in Get-ChildItem $dir -Filter 'model*.json' | Sort-Object Name) {
            [pscustomobject]@{ Name = "$case/$($model.Name)"; Path = $model.FullName; Bytes = [System.IO.File]::ReadAllBytes($model.FullName); Gt = $gt; GtBytes = [System.IO.File]::ReadAllBytes($gt) }
        }
    }
    $state = [pscustomobject]@{ Runspace = (New-FuzzRunspace $ModulePath); ModulePath = $ModulePath; TimeoutSeconds = $TimeoutSeconds }
    $methods = 'WBF', 'WBF', 'WBF', 'NMS', 'SoftNMS', 'NMW'
    $failures = [System.Collections.Generic.List[object]]::new()
    $histogram = @{}
    $hangs = 0
    $slowest = [pscustomobject]@{ Case = -1; Ms = 0 }
    $caseNumbers = if ($Only) { $Only } elseif ($OnlySurface -or $Cases -le 0) { @() } else { 1..$Cases }
    $done = 0
    try {
        foreach ($n in $caseNumbers) {
            # Each case has its own generator, so any one can be replayed with -Only.
            $rng = [System.Random]::new([int](([long]$Seed * 1000003 + $n) % [int]::MaxValue))
            $fixture = $fixtures[$rng.Next($fixtures.Count)]
            $target = $rng.Next(100)
            $mutateGt = $target -lt 12
            $source = if ($mutateGt) { $fixture.GtBytes } else { [BoxFusion.Fuzz.Mutator]::Slice($fixture.Bytes, $rng) }
            $mutant = [BoxFusion.Fuzz.Mutator]::Mutate($source, $rng)
            $method = $methods[$rng.Next($methods.Count)]
            $viaPath = $rng.Next(100) -lt 15
            $stopToo = $rng.Next(4) -eq 0
            $useGt = $mutateGt -or $rng.Next(4) -eq 0

            $inputPath = Join-Path $WorkFolder 'detections.json'
            $gtPath = Join-Path $WorkFolder 'gt.json'
            $outFolder = Join-Path $WorkFolder 'out'
            $outPath = Join-Path $outFolder 'submission.json'
            if ($mutateGt) {
                [System.IO.File]::WriteAllBytes($inputPath, $fixture.Bytes)
                [System.IO.File]::WriteAllBytes($gtPath, $mutant.Data)
            }
            else {
                [System.IO.File]::WriteAllBytes($inputPath, $mutant.Data)
                if ($useGt) { [System.IO.File]::WriteAllBytes($gtPath, $fixture.GtBytes) }
            }
            $inputLength = [System.IO.FileInfo]::new($inputPath).Length
            $problems = [System.Collections.Generic.List[string]]::new()
            $arguments = @{ Path = $inputPath; Out = $outPath; Method = $method; ImageInfo = $(if ($useGt) { $gtPath } else { '' }); ViaPath = $viaPath; Stop = $false }

            $ids = [System.Collections.Generic.HashSet[string]]::new()
            $caseClock = [System.Diagnostics.Stopwatch]::StartNew()
            [System.IO.File]::Delete($outPath)
            $pipelineClock.Start()
            $run = Invoke-FuzzRun $state $arguments
            $pipelineClock.Stop()
            if ($run -eq 'hang') { $hangs++; $problems.Add("hang: no result within $TimeoutSeconds s") }
            elseif ($run.PSObject.Properties['Broken']) { $problems.Add($run.Broken) }
            else {
                $errors = @($run.ImportErrors) + @($run.MergeErrors) + @($run.ExportErrors) | Where-Object { $null -ne $_ }
                $caught = $run.Caught
                foreach ($e in @($errors) + @($caught | Where-Object { $null -ne $_ })) {
                    Test-FuzzError $e $inputPath $gtPath $inputLength $problems
                    $null = $ids.Add((ConvertTo-FuzzErrorId $e))
                }
                $fileErrors = @($errors | Where-Object { (ConvertTo-FuzzErrorId $_) -like 'ResultFile*' })
                if ($caught -and (ConvertTo-FuzzErrorId $caught) -notin 'ImageInfoInvalid', 'ImageInfoNotFound', 'AmbiguousImageId') {
                    $problems.Add("the pipeline stopped without -ErrorAction Stop: $($caught.FullyQualifiedErrorId): $($caught.Exception.Message)")
                }
                if ($fileErrors.Count -gt 1) { $problems.Add("$($fileErrors.Count) file errors for one file") }

                if ($mutateGt) {
                    if (-not [BoxFusion.Fuzz.Oracle]::IsJson($mutant.Data) -and -not $ids.Contains('ImageInfoInvalid')) {
                        $problems.Add("an -ImageInfo file that is not JSON was accepted")
                    }
                }
                else {
                    # The independent reading of the same bytes.
                    $expect = [BoxFusion.Fuzz.Oracle]::Classify($mutant.Data, $mutant.StrictPrefix)
                    if ($expect.FileError) {
                        if ($fileErrors.Count -eq 0) { $problems.Add("no file error; expected $expect") }
                        elseif ($expect.FileProblem -and (ConvertTo-FuzzErrorId $fileErrors[0]) -ne "ResultFile$($expect.FileProblem)") {
                            $problems.Add("got $(ConvertTo-FuzzErrorId $fileErrors[0]); expected $expect; message: $($fileErrors[0].Exception.Message)")
                        }
                    }
                    else {
                        if ($fileErrors.Count -gt 0) { $problems.Add("file error $(ConvertTo-FuzzErrorId $fileErrors[0]) ($($fileErrors[0].Exception.Message)); expected $expect") }
                        $skipped = @{}
                        foreach ($e in $errors | Where-Object { (ConvertTo-FuzzErrorId $_) -like 'SkippedRecords*' }) {
                            if ("$($e.Exception.Message)" -match ': (\d+) records? skipped \((\w+)\)') { $skipped[$Matches[2]] = [long]$Matches[1] }
                        }
                        foreach ($kind in @($expect.Skipped.Keys) + @($skipped.Keys) | Select-Object -Unique) {
                            $want = if ($expect.Skipped.ContainsKey($kind)) { $expect.Skipped[$kind] } else { 0 }
                            $got = if ($skipped.ContainsKey($kind)) { $skipped[$kind] } else { 0 }
                            if ($want -ne $got) { $problems.Add("$got records skipped for $kind; expected $want ($expect)") }
                        }
                        if (-not $viaPath -and -not $caught) {
                            $difference = [BoxFusion.Fuzz.Oracle]::CompareImported($expect, $run.Imported)
                            if ($difference) { $problems.Add($difference) }
                        }
                    }
                }
                # The submission: written exactly when the pipeline completed, and then exactly the fused detections.
                $leftovers = @([System.IO.Directory]::GetFiles($outFolder) | Where-Object { $_ -ne $outPath })
                if ($leftovers) { $problems.Add("left behind: $($leftovers -join ', ')") }
                if ($caught) {
                    if ([System.IO.File]::Exists($outPath)) { $problems.Add('a submission was written although the pipeline stopped') }
                }
                elseif (-not [System.IO.File]::Exists($outPath)) { $problems.Add('no submission was written') }
                else {
                    $difference = [BoxFusion.Fuzz.Oracle]::CompareSubmission([System.IO.File]::ReadAllBytes($outPath), $run.Fused)
                    if ($difference) { $problems.Add($difference) }
                }

                # -ErrorAction Stop: the first error must stop the pipeline; no error, no stop.
                if ($stopToo) {
                    $arguments.Stop = $true
                    [System.IO.File]::Delete($outPath)
                    $pipelineClock.Start()
                    $strict = Invoke-FuzzRun $state $arguments
                    $pipelineClock.Stop()
                    if ($strict -eq 'hang') { $hangs++; $problems.Add("hang with -ErrorAction Stop: no result within $TimeoutSeconds s") }
                    elseif ($strict.PSObject.Properties['Broken']) { $problems.Add($strict.Broken) }
                    elseif ($ids.Count -gt 0 -and -not $strict.Caught) { $problems.Add("with -ErrorAction Stop the pipeline went on despite $($ids -join ', ')") }
                    elseif ($ids.Count -eq 0 -and $strict.Caught) { $problems.Add("with -ErrorAction Stop the pipeline stopped ($($strict.Caught.FullyQualifiedErrorId)) but without it there was no error") }
                    elseif ($strict.Caught) {
                        Test-FuzzError $strict.Caught $inputPath $gtPath $inputLength $problems
                        if ((ConvertTo-FuzzErrorId $strict.Caught) -notin $ids) { $problems.Add("with -ErrorAction Stop it stopped on $($strict.Caught.FullyQualifiedErrorId), not one of $($ids -join ', ')") }
                    }
                }
            }
            $ms = $caseClock.ElapsedMilliseconds
            if ($ms -gt $slowest.Ms) { $slowest = [pscustomobject]@{ Case = $n; Ms = $ms } }
            if ($ids.Count -eq 0) { $null = $ids.Add('(no error)') }
            foreach ($id in $ids) { $histogram[$id] = 1 + $(if ($histogram.ContainsKey($id)) { $histogram[$id] } else { 0 }) }

            if ($problems.Count -gt 0) {
                $kept = $null
                if ($FailureFolder) {
                    $null = New-Item -ItemType Directory -Force $FailureFolder
                    $kept = Join-Path $FailureFolder ("case-$n" + $(if ($mutateGt) { '-gt' } else { '' }) + '.json')
                    [System.IO.File]::WriteAllBytes($kept, $mutant.Data)
                }
                $failures.Add([pscustomobject]@{
                        Case = $n; Fixture = $fixture.Name; Target = $(if ($mutateGt) { '-ImageInfo' } else { 'results' }); Mutation = $mutant.Description
                        Method = $method; ViaPath = $viaPath; ImageInfo = $useGt; Problems = @($problems); Kept = $kept
                    })
            }
            $done++
            if ($ShowProgress -and $done % 500 -eq 0) { Write-Host ("  {0} cases, {1} failures, {2:n0} s" -f $done, $failures.Count, $clock.Elapsed.TotalSeconds) }
        }

        # The other surfaces: ground-truth files, -ImageInfo objects, New-Detection input (Surfaces.ps1).
        $surfaceFixtures = foreach ($case in 'case-a', 'case-b') {
            $dir = Join-Path $script:FuzzDataRoot $case
            $model = Join-Path $dir 'model1.json'
            $reader = [BoxFusion.Json.CocoResultReader]::new($model, 'model1')
            try { $detections = @($reader.ReadAll()) } finally { $reader.Dispose() }
            [pscustomobject]@{ Name = $case; Path = $model; Detections = $detections; GtBytes = [System.IO.File]::ReadAllBytes((Join-Path $dir 'gt.json')); Truth = [BoxFusion.Coco.CocoGroundTruth]::Load((Join-Path $dir 'gt.json')) }
        }
        $surfaceNumbers = if ($OnlySurface) { $OnlySurface } elseif ($Only -or $SurfaceCases -le 0) { @() } else { 1..$SurfaceCases }
        foreach ($n in $surfaceNumbers) {
            $rng = [System.Random]::new([int](([long]$Seed * 7919 + $n) % [int]::MaxValue))
            $fixture = $surfaceFixtures[$rng.Next($surfaceFixtures.Count)]
            $problems = [System.Collections.Generic.List[string]]::new()
            $kept = $null
            $caseClock = [System.Diagnostics.Stopwatch]::StartNew()
            $pipelineClock.Start()
            $ids = Invoke-FuzzSurfaceCase $state $n $rng $fixture $WorkFolder $problems ([ref] $kept)
            $pipelineClock.Stop()
            if (@($problems | Where-Object { $_ -like 'hang:*' })) { $hangs++ }
            $ms = $caseClock.ElapsedMilliseconds
            if ($ms -gt $slowest.Ms) { $slowest = [pscustomobject]@{ Case = "surface $n"; Ms = $ms } }
            $ids = @($ids)
            if ($ids.Count -eq 0) { $ids = @('(no error)') }
            foreach ($id in $ids) { $key = "$($kept.Kind): $id"; $histogram[$key] = 1 + $(if ($histogram.ContainsKey($key)) { $histogram[$key] } else { 0 }) }
            if ($problems.Count -gt 0) {
                $keptPath = $null
                if ($FailureFolder -and $kept.ContainsKey('Data')) {
                    $null = New-Item -ItemType Directory -Force $FailureFolder
                    $keptPath = Join-Path $FailureFolder "surface-$n-gt.json"
                    [System.IO.File]::WriteAllBytes($keptPath, $kept.Data)
                }
                $failures.Add([pscustomobject]@{
                        Case = "surface $n"; Fixture = $fixture.Name; Target = $kept.Kind; Mutation = $kept.Description
                        Method = ''; ViaPath = $false; ImageInfo = $false; Problems = @($problems); Kept = $keptPath
                    })
            }
            $done++
            if ($ShowProgress -and $done % 500 -eq 0) { Write-Host ("  {0} cases, {1} failures, {2:n0} s" -f $done, $failures.Count, $clock.Elapsed.TotalSeconds) }
        }
    }
    finally {
        $state.Runspace.Dispose()
        Remove-Item -LiteralPath $WorkFolder -Recurse -Force -ErrorAction Ignore
    }
    [pscustomobject]@{
        Cases    = $done
        Seed     = $Seed
        Failures = $failures
        Hangs    = $hangs
        Seconds  = [math]::Round($clock.Elapsed.TotalSeconds, 1)
        PipelineSeconds = [math]::Round($pipelineClock.Elapsed.TotalSeconds, 1)
        Slowest  = $slowest
        ErrorIds = $histogram
    }
}

function Format-FuzzSummary($Summary) {
    $lines = [System.Collections.Generic.List[string]]::new()
    $lines.Add(("Fuzz: {0} cases (seed {1}) in {2} s ({3} s in the pipelines under test); slowest case {4} took {5} ms." -f
        $Summary.Cases, $Summary.Seed, $Summary.Seconds, $Summary.PipelineSeconds, $Summary.Slowest.Case, $Summary.Slowest.Ms))
    $lines.Add('Outcomes (cases with each ErrorId):')
    foreach ($p in $Summary.ErrorIds.GetEnumerator() | Sort-Object Value -Descending) { $lines.Add(("  {0,6}  {1}" -f $p.Value, $p.Key)) }
    $lines.Add(("Failures: {0} (hangs: {1})" -f $Summary.Failures.Count, $Summary.Hangs))
    foreach ($f in $Summary.Failures | Select-Object -First 40) {
        $lines.Add(("  case {0}: {1} {2} [{3}] -Method {4}{5}{6}" -f $f.Case, $f.Fixture, $f.Target, $f.Mutation, $f.Method, $(if ($f.ViaPath) { ' via -LiteralPath' } else { '' }), $(if ($f.ImageInfo) { ' -ImageInfo' } else { '' })))
        foreach ($p in $f.Problems | Select-Object -First 4) { $lines.Add("      $p") }
        if ($f.Kept) { $lines.Add("      input kept: $($f.Kept)") }
    }
    $lines -join [Environment]::NewLine
}

if ($MyInvocation.InvocationName -ne '.') {
    Set-StrictMode -Version 3.0
    $onlyCases = @($Only | ForEach-Object { $_ -split ',' } | Where-Object { $_ } | ForEach-Object { [int]$_ })
    $onlySurfaceCases = @($OnlySurface | ForEach-Object { $_ -split ',' } | Where-Object { $_ } | ForEach-Object { [int]$_ })
    $summary = Invoke-BoxFusionFuzz -ModulePath $ModulePath -Cases $Cases -SurfaceCases $SurfaceCases -Seed $Seed -TimeoutSeconds $TimeoutSeconds -Only $onlyCases -OnlySurface $onlySurfaceCases -FailureFolder $FailureFolder -LibraryPath $LibraryPath -ShowProgress
    $text = Format-FuzzSummary $summary
    Write-Host $text
    if ($SummaryPath) {
        [ordered]@{
            Cases = $summary.Cases; Seed = $summary.Seed; Seconds = $summary.Seconds; Hangs = $summary.Hangs
            Failures = @($summary.Failures | ForEach-Object { "case $($_.Case) ($($_.Fixture), $($_.Mutation)): $($_.Problems -join ' | ')" })
            ErrorIds = $summary.ErrorIds; Text = $text
        } | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $SummaryPath -Encoding utf8
    }
    if ($summary.Hangs -gt 0) { [Environment]::Exit(1) } # a hung case still holds its thread: leave without waiting for it
    if ($summary.Failures.Count -gt 0) { exit 1 }
    exit 0
}
