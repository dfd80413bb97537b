BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ModuleUnderTest
    Import-SyntheticGenerator
    $sample = Join-Path $DataRoot 'sample'
    $models = 'cascade', 'detr', 'yolox' | ForEach-Object { Join-Path $sample "$_.json" }
    $folder = New-TestFolder

    # Runs a script block with Merge-Detection's streaming threshold set (detections held before grouped files are
    # streamed; 0 streams any grouped files), and the variable restored after.
    function Invoke-WithThreshold([string] $Threshold, [scriptblock] $Script) {
        $saved = $env:BOXFUSION_STREAM_THRESHOLD
        $env:BOXFUSION_STREAM_THRESHOLD = $Threshold
        try { & $Script } finally { $env:BOXFUSION_STREAM_THRESHOLD = $saved }
    }

    # A copy of a one-record-per-line results file whose records of neighbouring images are taken in turns: no image's
    # records stay together, while the images keep their order of first appearance and each image its records' order.
    function New-RiffledCopy([string] $Path, [string] $Target) {
        $records = @(Get-Content $Path | Where-Object { $_ -match '^\{' } | ForEach-Object { $_.TrimEnd(',') })
        $runs = [System.Collections.Generic.List[object]]::new()
        $last = $null
        foreach ($r in $records) {
            $id = [regex]::Match($r, '"image_id": *("[^"]*"|-?\d+)').Groups[1].Value
            if ($runs.Count -eq 0 -or $id -ne $last) { $runs.Add([System.Collections.Generic.List[string]]::new()) }
            $runs[$runs.Count - 1].Add($r)
            $last = $id
        }
        $out = [System.Collections.Generic.List[string]]::new()
        for ($i = 0; $i -lt $runs.Count; $i += 2) {
            $a = $runs[$i]
            $b = if ($i + 1 -lt $runs.Count) { $runs[$i + 1] } else { @() }
            for ($k = 0; $k -lt [Math]::Max($a.Count, $b.Count); $k++) {
                if ($k -lt $a.Count) { $out.Add($a[$k]) }
                if ($k -lt $b.Count) { $out.Add($b[$k]) }
            }
        }
        Set-Content -LiteralPath $Target -Value ("[`n" + ($out -join ",`n") + "`n]") -NoNewline
        $Target
    }
    $riffled = $models | ForEach-Object { New-RiffledCopy $_ (Join-Path $folder ('riffled-' + (Split-Path $_ -Leaf))) }
    $inMemory = Join-Path $folder 'in-memory.json'
    Merge-Detection -Path $models | Export-Submission $inMemory
    $inMemoryHash = (Get-FileHash $inMemory).Hash
}

AfterAll { Remove-Item $folder -Recurse -Force }

Describe 'Merge-Detection -Path streams files grouped by image' {
    It 'writes the same bytes streaming as in memory, with any -ThrottleLimit, and says which way with -Verbose' {
        Invoke-WithThreshold '0' {
            $streamed = Join-Path $folder 'streamed.json'
            Merge-Detection -Path $models | Export-Submission $streamed
            $messages = @(Merge-Detection -Path $models -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
            $messages -match 'fusing by reading the files again side by side' | Should -Not -BeNullOrEmpty
            $messages -match 'Streamed 200 images; at most 0 runs' | Should -Not -BeNullOrEmpty
            (Get-FileHash $streamed).Hash | Should -Be $inMemoryHash
            $one = Join-Path $folder 'streamed-1.json'
            Merge-Detection -Path $models -ThrottleLimit 1 | Export-Submission $one
            (Get-FileHash $one).Hash | Should -Be $inMemoryHash
        }
        $held = @(Merge-Detection -Path $models -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $held -match '^Fusing in memory: 17605 detections' | Should -Not -BeNullOrEmpty
    }

    It 'gives the same objects streaming as Import-Detection | Merge-Detection (files in other image orders, with gaps)' {
        $caseA = Join-Path $DataRoot 'case-a'
        $files = 1..3 | ForEach-Object { Join-Path $caseA "model$_.json" }
        $expected = Import-Detection $files | Merge-Detection -Method NMW -ImageInfo (Join-Path $caseA 'gt.json') | ForEach-Object { "$_ $($_.MergedCount) $($_.SourceModels)" }
        $streamed = Invoke-WithThreshold '0' {
            Merge-Detection -Path $files -Method NMW -ImageInfo (Join-Path $caseA 'gt.json') | ForEach-Object { "$_ $($_.MergedCount) $($_.SourceModels)" }
        }
        $streamed | Should -Be $expected
    }

    It 'fuses shuffled copies of the files in memory to the same bytes; says so with -Verbose, and warns when it reads again' {
        $copies = @($riffled | ForEach-Object { $_ })
        $names = 'cascade', 'detr', 'yolox'
        # Held when the break is found: nothing is read twice, a verbose message says why it is in memory.
        $held = Join-Path $folder 'riffled-held.json'
        $out = @(Merge-Detection -Path $copies -Model $names -Verbose -WarningVariable warned 4>&1)
        $out | Where-Object { $_ -is [BoxFusion.Detection] } | Export-Submission $held
        $messages = @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $messages -match "riffled-cascade.json' is not grouped by image: its detection \d+ is of image 0 again.*fusing in memory" | Should -Not -BeNullOrEmpty
        $warned | Should -BeNullOrEmpty
        (Get-FileHash $held).Hash | Should -Be $inMemoryHash
        # Let go before the break: read again (once), with a warning.
        Invoke-WithThreshold '0' {
            $again = Join-Path $folder 'riffled-again.json'
            Merge-Detection -Path $copies -Model $names -WarningVariable warned -WarningAction SilentlyContinue | Export-Submission $again
            @($warned).Count | Should -Be 1
            "$($warned[0])" | Should -Match "riffled-cascade.json' is not grouped by image.*reads them again to fuse in memory"
            (Get-FileHash $again).Hash | Should -Be $inMemoryHash
        }
    }

    It 'fuses files with instance masks in memory, saying why, with the same result' {
        $caseM = Join-Path $DataRoot 'case-m'
        $files = 1..3 | ForEach-Object { Join-Path $caseM "model$_.json" }
        $expected = Import-Detection $files | Merge-Detection -ImageInfo (Join-Path $caseM 'gt.json') | ForEach-Object { "$_ $($_.MergedCount) $($null -ne $_.Mask)" }
        Invoke-WithThreshold '0' {
            $out = @(Merge-Detection -Path $files -ImageInfo (Join-Path $caseM 'gt.json') -Verbose -WarningVariable warned -WarningAction SilentlyContinue 4>&1)
            $out | Where-Object { $_ -is [BoxFusion.Detection] } | ForEach-Object { "$_ $($_.MergedCount) $($null -ne $_.Mask)" } | Should -Be $expected
            @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message) -match "model1.json' has instance masks.*fusing in memory" | Should -Not -BeNullOrEmpty
            $warned | Should -BeNullOrEmpty -Because 'the first record has a mask, so nothing was let go'
        }
    }

    It 'reports progress while streaming, and stops promptly on Ctrl+C leaving no output' {
        $big = Join-Path $folder 'big'
        $files = [BoxFusion.Synthetic.EnsembleGenerator]::Write($big, [BoxFusion.Synthetic.SyntheticOptions]@{ Images = 3000; Models = 3; Classes = 20; Seed = 5 })
        $list = "'" + ($files.ModelPaths -join "','") + "'"
        Invoke-WithThreshold '0' {
            $ps = [powershell]::Create()
            $null = $ps.AddScript("Import-Module '$ModulePath'; Merge-Detection -Path $list -Verbose | Measure-Object | Out-Null")
            $null = $ps.Invoke()
            $ps.Streams.Verbose.Message -match 'side by side' | Should -Not -BeNullOrEmpty
            $ps.Streams.Progress.Activity | Should -Contain 'Merging detections (WBF)'
            $ps.Dispose()

            $target = Join-Path $big 'submission.json'
            $ps = [powershell]::Create()
            $null = $ps.AddScript("Import-Module '$ModulePath'; Merge-Detection -Path $list -Verbose | Export-Submission '$target'")
            $null = $ps.BeginInvoke()
            # Stop once it streams.
            while ($ps.InvocationStateInfo.State -eq 'Running' -and -not ($ps.Streams.Verbose.Message -match 'side by side')) { Start-Sleep -Milliseconds 20 }
            $ps.Streams.Verbose.Message -match 'side by side' | Should -Not -BeNullOrEmpty
            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            Test-Path $target | Should -BeFalse
            @(Get-ChildItem $big -Filter '*.tmp' -Force).Count | Should -Be 0
            $ps.Dispose()
        }
    }
}
