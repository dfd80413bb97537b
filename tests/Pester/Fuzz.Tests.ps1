# The CI fuzz run: a few thousand mutated fixture files (fixed seed) through
# Import-Detection | Merge-Detection | Export-Submission, then 150 cases of the other surfaces (ground-truth files
# for Measure-Detection, -ImageInfo objects, New-Detection input). tests/Fuzz/Fuzz.ps1 does the work and says what it
# checks; it runs in a child pwsh, so that a hung case (a thread that never returns) fails this test instead
# of hanging the test run. `build.ps1 -Task Fuzz` runs a longer one (-FuzzCases, 20000 by default).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'ChildProcess.ps1')
    $script:FuzzScript = Join-Path $RepoRoot 'tests/Fuzz/Fuzz.ps1'
}

Describe 'Fuzzed input' {
    It 'survives 2000 mutated files and 150 other inputs: no unhandled exception, no hang, every failure an ErrorRecord of ours, nothing silently wrong' {
        $summaryPath = Join-Path $TestDrive 'fuzz-summary.json'
        $start = New-PwshStartInfo @('-NoProfile', '-NonInteractive', '-File', $script:FuzzScript, '-ModulePath', $ModulePath, '-Cases', '2000', '-SurfaceCases', '150',
            '-Seed', '20250101', '-FailureFolder', (Join-Path $RepoRoot 'out/fuzz-failures'), '-SummaryPath', $summaryPath)
        # 15 minutes: beyond that, a hang outside the per-case time limit.
        $run = Invoke-ChildProcess $start -TimeoutSeconds 900 -What 'The fuzz run (a hang outside the per-case time limit)'
        $log = $run.Output
        Test-Path $summaryPath | Should -BeTrue -Because "the fuzz run should have written its summary; it said:`n$log"
        $summary = Get-Content $summaryPath -Raw | ConvertFrom-Json
        Write-Host $summary.Text

        $summary.Cases | Should -Be 2150
        $summary.Hangs | Should -Be 0
        @($summary.Failures) | Should -BeNullOrEmpty -Because $summary.Text
        $run.ExitCode | Should -Be 0 -Because $log

        # The mutations reach every kind of file failure and skipped record (and some files stay good).
        $seen = $summary.ErrorIds.PSObject.Properties.Name
        foreach ($id in 'ResultFileFileEmpty', 'ResultFileNotJson', 'ResultFileTruncated', 'ResultFileNotAList', 'ResultFileRecordNotAnObject',
            'ResultFileNonFiniteNumber', 'ResultFileTrailingContent', 'SkippedRecordsMissingField', 'SkippedRecordsWrongType', 'SkippedRecordsBadBox',
            'SkippedRecordsNonFiniteNumber', 'SkippedRecordsNegativeSize', 'SkippedRecordsScoreOutOfRange', 'SkippedRecordsDuplicateKey', 'SkippedRecordsOutOfRange', 'ImageInfoInvalid', '(no error)',
            'GroundTruth: GroundTruthInvalid', 'GroundTruth: (no error)', 'ImageInfo: ImageInfoInvalid', 'ImageInfo: (no error)', 'NewDetection: InvalidDetection', 'NewDetection: (no error)') {
            $seen | Should -Contain $id
        }
    }
}
