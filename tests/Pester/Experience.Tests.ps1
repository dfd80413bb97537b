BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ModuleUnderTest
}

Describe 'Tab completion and validation' {
    It 'completes -Method' { Complete 'Merge-Detection -Method ' | Sort-Object | Should -Be 'NMS', 'NMW', 'SoftNMS', 'WBF' }
    It 'completes -Method from a prefix' { Complete 'Merge-Detection -Method So' | Should -Be 'SoftNMS' }
    It 'completes -ConfidenceType' { Complete 'Merge-Detection -ConfidenceType ' | Sort-Object | Should -Be 'AbsentModelAwareAvg', 'Avg', 'BoxAndModelAvg', 'Max' }
    It 'completes -Voting' { Complete 'Merge-Detection -Voting ' | Should -Be 'Affirmative', 'Consensus', 'Unanimous' }
    It 'completes -Weight with the model names of the files in the pipeline' {
        $sample = Join-Path $DataRoot 'sample'
        Push-Location $sample
        try {
            $found = Complete 'Import-Detection yolox.json, detr.json | Merge-Detection -Weight '
            $found[0] | Should -Be '@{ yolox = 1; detr = 1 }'
            (Complete 'Merge-Detection -Path *.json -Weight ')[0] | Should -Be '@{ cascade = 1; detr = 1; gt = 1; yolox = 1 }'
        }
        finally { Pop-Location }
    }
    It 'rejects a wrong value at binding, listing the valid ones' {
        { Merge-Detection -Path x.json -ConfidenceType Mean } | Should -Throw -ExpectedMessage '*Avg*Max*BoxAndModelAvg*AbsentModelAwareAvg*'
        { Merge-Detection -Path x.json -Voting Most } | Should -Throw -ExpectedMessage '*Affirmative*Consensus*Unanimous*'
    }
}

Describe 'Progress and Ctrl+C' {
    BeforeAll {
        Import-SyntheticGenerator
        $big = New-TestFolder
        $options = [BoxFusion.Synthetic.SyntheticOptions]@{ Images = 3000; Models = 3; Classes = 20; Seed = 5 }
        $files = [BoxFusion.Synthetic.EnsembleGenerator]::Write($big, $options)
    }
    AfterAll { Remove-Item $big -Recurse -Force }

    It 'stops Import | Merge | Export promptly on Ctrl+C and leaves no output or temporary file' {
        $target = Join-Path $big 'submission.json'
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$ModulePath'; Import-Detection '$($files.ModelPaths -join "','")' | Merge-Detection | Export-Submission '$target'")
        $async = $ps.BeginInvoke()
        Start-Sleep -Milliseconds 700
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $clock.Stop()
        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 30 -Because 'stopping must not wait for the whole job'
        Test-Path $target | Should -BeFalse
        @(Get-ChildItem $big -Filter '*.tmp' -Force).Count | Should -Be 0
        $ps.Dispose()
    }

    It 'writes progress records on long steps, and none when progress is silenced' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$ModulePath'; Merge-Detection -Path '$($files.ModelPaths -join "','")' | Measure-Object | Out-Null")
        $null = $ps.Invoke()
        $ps.Streams.Progress.Count | Should -BeGreaterThan 0
        $ps.Streams.Progress.Activity | Should -Contain 'Reading detections'
        $ps.Dispose()
        $quiet = [powershell]::Create()
        $null = $quiet.AddScript("`$ProgressPreference = 'SilentlyContinue'; Import-Module '$ModulePath'; Merge-Detection -Path '$($files.ModelPaths -join "','")' | Out-Null")
        $null = $quiet.Invoke()
        $quiet.Streams.Progress.Count | Should -Be 0
        $quiet.Dispose()
    }

    It 'counts the files of one Import-Detection call as "File n of 3"' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$ModulePath'; Import-Detection '$($files.ModelPaths -join "','")' | Out-Null")
        $null = $ps.Invoke()
        $counts = @($ps.Streams.Progress | Where-Object Activity -EQ 'Reading detections' |
            ForEach-Object { if ($_.StatusDescription -match '^File (\d+) of (\d+):') { "$($Matches[1]) of $($Matches[2])" } })
        $ps.Dispose()
        $counts | Should -Not -BeNullOrEmpty
        $counts | Should -Contain '3 of 3' -Because 'the last file is read long after progress starts'
        $counts | ForEach-Object { $_ | Should -Match '^[123] of 3$' }
    }
}

Describe 'The demo' {
    It 'writes the fused submission and prints each model''s AP next to each method''s' {
        $out = New-TestFolder
        $pwsh = @(Get-PwshCommandLine)
        $text = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'tests/Demo.ps1') -ModulePath $ModulePath -OutputFolder $out 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 0
        Test-Path (Join-Path $out 'submission.json') | Should -BeTrue
        Test-Path (Join-Path $out 'submission.zip') | Should -BeTrue
        foreach ($row in 'yolox', 'cascade', 'detr', 'WBF', 'NMS', 'SoftNMS', 'NMW') { $text | Should -Match "(?m)^$row\s+0\.\d{3}" }
        foreach ($row in 'maskrcnn', 'cascade-mask', 'mask2former') { $text | Should -Match "(?m)^$row\s+0\.\d{3}" }
        Test-Path (Join-Path $out 'segm-submission.json') | Should -BeTrue
        # the README's pictures in docs/ are what the demo draws now (build.ps1 -Task Demo redraws them)
        foreach ($picture in 'sample-detections.png', 'sample-precision-recall.png') {
            (Get-FileHash (Join-Path $out $picture)).Hash | Should -Be (Get-FileHash (Join-Path $RepoRoot "docs/$picture")).Hash -Because "docs/$picture is current"
        }
        Remove-Item $out -Recurse -Force
    }
}
