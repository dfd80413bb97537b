# Several -Path files are parsed at once (up to -ThrottleLimit for Merge-Detection, one per core elsewhere), yet
# what a user gets is what reading them one after another gives: every record once, file after file, and each
# file's errors and warnings at its turn, naming the file and the record.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ModuleUnderTest
    $script:Folder = New-TestFolder
    $script:Utf8 = [System.Text.UTF8Encoding]::new($false)

    # 9000 records (more than two of the reader's 4096-record blocks), grouped by image; the box says which file and record it is.
    function New-ResultFile([string] $Name, [int] $File, [int] $Count = 9000, [int] $BadAt = -1, [switch] $Truncated) {
        $text = [System.Text.StringBuilder]::new("[`n")
        for ($i = 0; $i -lt $Count; $i++) {
            if ($i -gt 0) { $null = $text.Append(",`n") }
            $score = if ($i -eq $BadAt) { '' } else { ', "score": {0}' -f (0.5 + (($i * 31 + $File) % 1000) / 2500) }
            $null = $text.AppendFormat([cultureinfo]::InvariantCulture, '{{"image_id": {0}, "category_id": {1}, "bbox": [{2}, {3}, 40, 30]{4}}}',
                [int][math]::Floor($i / 60), 1 + ($i + $File) % 3, $File * 10, $i % 500, $score)
        }
        if (-not $Truncated) { $null = $text.Append("`n]") }
        $path = Join-Path $script:Folder $Name
        [System.IO.File]::WriteAllText($path, $text.ToString(), $script:Utf8)
        $path
    }

    $script:Files = @(
        New-ResultFile 'a.json' 1
        New-ResultFile 'b.json' 2 -BadAt 5000          # one record without a score: skipped, named
        New-ResultFile 'c.json' 3 -Count 4096
        New-ResultFile 'd.json' 4 -Count 7000 -Truncated # fails after its good records
        New-ResultFile 'e.json' 5 -Count 1
    )

    function Format-Error($e) { '{0} | {1}' -f $e.FullyQualifiedErrorId, $e }
}

AfterAll {
    Remove-Item -LiteralPath $script:Folder -Recurse -Force -ErrorAction Ignore
}

Describe 'Reading several files at once' {
    It 'Import-Detection gives every record once, file after file, and each error at its file''s turn' {
        # One file per call is read on its own: what a single reader gives.
        $expected = foreach ($f in $Files) { foreach ($d in @(Import-Detection -LiteralPath $f -ErrorAction SilentlyContinue)) { $d.ToString() } }
        # Errors and records in one stream, so their order shows: records of d.json before its error, its error before e.json's record.
        $all = @(Import-Detection -LiteralPath $Files -ErrorAction Continue 2>&1)
        $errs = @(foreach ($x in $all) { if ($x -is [System.Management.Automation.ErrorRecord]) { Format-Error $x } })
        $actual = [System.Collections.Generic.List[string]]@(foreach ($x in $all) { if ($x -is [System.Management.Automation.ErrorRecord]) { "error $($x.TargetObject)" } else { $x.ToString() } })
        $records = @($actual | Where-Object { $_ -notlike 'error *' })
        $records.Count | Should -Be (9000 + 8999 + 4096 + 7000 + 1)
        $records | Should -Be @($expected)
        $errs.Count | Should -Be 2
        $errs[0] | Should -BeLike "SkippedRecordsMissingField,*| '$($Files[1])': 1 record skipped (MissingField); first: record 5000: no 'score'."
        $errs[1] | Should -BeLike "ResultFileTruncated,*| '$($Files[3])'*"
        # b.json's error comes after its last record and before c.json's first; d.json's after its records and before e.json's.
        $at = $actual.IndexOf("error $($Files[1])")
        $actual[$at - 1] | Should -Be $expected[9000 + 8998]
        $actual[$at + 1] | Should -Be $expected[9000 + 8999]
        $at = $actual.IndexOf("error $($Files[3])")
        $actual[$at + 1] | Should -Be $expected[-1]
    }

    It 'Merge-Detection -Path writes the same bytes, errors and warnings at every -ThrottleLimit' {
        $runs = foreach ($limit in 1, 2, 3, 0) {
            $out = Join-Path $Folder "fused-$limit.json"
            $errs = $null
            Merge-Detection -Path $Files -ThrottleLimit $limit -ErrorVariable errs -ErrorAction SilentlyContinue -WarningVariable warns -WarningAction SilentlyContinue |
                Export-Submission -Path $out -Force
            [pscustomobject]@{
                Limit = $limit
                Hash = (Get-FileHash $out -Algorithm SHA256).Hash
                Errors = @($errs | ForEach-Object { Format-Error $_ }) -join "`n"
                Warnings = @($warns | ForEach-Object { "$_" }) -join "`n"
            }
        }
        $runs[0].Errors | Should -BeLike "SkippedRecordsMissingField*ResultFileTruncated*"
        foreach ($r in $runs) {
            $r.Hash | Should -Be $runs[0].Hash -Because "-ThrottleLimit $($r.Limit)"
            $r.Errors | Should -Be $runs[0].Errors -Because "-ThrottleLimit $($r.Limit)"
            $r.Warnings | Should -Be $runs[0].Warnings -Because "-ThrottleLimit $($r.Limit)"
        }
    }

    It 'Merge-Detection -Path at any -ThrottleLimit fuses what Import-Detection piped in gives' {
        $piped = Join-Path $Folder 'piped.json'
        Import-Detection -LiteralPath $Files -ErrorAction SilentlyContinue | Merge-Detection | Export-Submission -Path $piped -Force
        $path = Join-Path $Folder 'path.json'
        Merge-Detection -LiteralPath $Files -ThrottleLimit 2 -ErrorAction SilentlyContinue | Export-Submission -Path $path -Force
        (Get-FileHash $path).Hash | Should -Be (Get-FileHash $piped).Hash
    }

    It 'Measure-Detection -Path scores the files as one set whatever their reading order' {
        $images = 0..150 | ForEach-Object { [ordered]@{ id = $_; width = 600; height = 600; file_name = "$_.jpg" } }
        $anns = 0..150 | ForEach-Object { [ordered]@{ id = $_ + 1; image_id = $_; category_id = 1; bbox = @(10, 5, 40, 30); area = 1200; iscrowd = 0 } }
        $gt = Join-Path $Folder 'gt.json'
        ConvertTo-Json -Depth 5 -Compress @{ images = @($images); annotations = @($anns); categories = @(@{ id = 1; name = 'a' }, @{ id = 2; name = 'b' }, @{ id = 3; name = 'c' }) } |
            Set-Content -LiteralPath $gt
        $byPath = Measure-Detection $gt -LiteralPath $Files -GroupBy Model -ErrorAction SilentlyContinue
        $piped = Import-Detection -LiteralPath $Files -ErrorAction SilentlyContinue | Measure-Detection $gt -GroupBy Model
        $byPath.Name | Should -Be $piped.Name
        $byPath.AP | Should -Be $piped.AP
    }
}
