#!/usr/bin/perl
# Mail::DKIM's ARC verifier for Sealpost's differential ARC tests; DNS answers come from a file,
# never from the network.  Usage: mail_dkim_arc_verify.pl RECORDS MESSAGE...
# Prints one line per message: the chain's result (pass, fail, none).
use strict;
use warnings;
use Mail::DKIM::ARC::Verifier;
use Mail::DKIM::DNS;
use Net::DNS;

my $records_file = shift @ARGV;
my %records;
open my $rf, '<', $records_file or die "$records_file: $!";
while (my $line = <$rf>) {
    chomp $line;
    next if $line =~ /^\s*(#|$)/;
    my ($name, $value) = split / /, $line, 2;
    $records{lc $name} = $value;
}
close $rf;

{
    no warnings 'redefine';
    *Mail::DKIM::DNS::query = sub {
        my ($domain, $type) = @_;
        $domain = lc $domain;
        $domain =~ s/\.$//;
        if (uc $type eq 'TXT' && exists $records{$domain}) {
            my @chunks = ($records{$domain} =~ /(.{1,255})/gs);
            return (Net::DNS::RR->new(name => $domain, type => 'TXT', txtdata => [@chunks]));
        }
        $@ = 'NXDOMAIN';
        return;
    };
}

for my $path (@ARGV) {
    open my $fh, '<:raw', $path or die "$path: $!";
    my $arc = Mail::DKIM::ARC::Verifier->new();
    while (my $chunk = <$fh>) { $arc->PRINT($chunk); }
    $arc->CLOSE;
    close $fh;
    print $arc->result, "\n";
}
